using System.Globalization;
using Dockerbuild.Oci;
using Dockerbuild.Oci.Registry;
using Dockerbuild.Publish.Diagnostics;



namespace Dockerbuild.Publish.Logging;

/// <summary>
/// Push progress as docker prints it, one message per blob and status change (<c>a1b2c3d4e5f6: Pushed
/// 12.3 MB</c>) at normal verbosity, with each further quarter of an upload at detailed verbosity.
/// </summary>
internal sealed class PushLog(IBuildLog log) : IProgress<TransferProgress>
{
    private readonly Lock gate = new();
    private readonly Dictionary<Digest, (TransferStatus Status, int Quarter)> seen = [];

    public void Report(TransferProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        lock (gate)
        {
            var quarter = value.Size > 0 ? (int)(4 * value.Transferred / value.Size) : 0;
            if (seen.TryGetValue(value.Digest, out var last) && last.Status == value.Status && (value.Status != TransferStatus.Uploading || last.Quarter == quarter))
            {
                return;
            }

            seen[value.Digest] = (value.Status, quarter);
            var id = value.Digest.Short;
            switch (value.Status)
            {
                case TransferStatus.Complete:
                    log.Message(LogImportance.Normal, $"{id}: Pushed {Size(value.Size)}");
                    break;
                case TransferStatus.Exists:
                    log.Message(LogImportance.Normal, $"{id}: Layer already exists");
                    break;
                case TransferStatus.Mounted:
                    log.Message(LogImportance.Normal, $"{id}: Mounted from another repository");
                    break;
                case TransferStatus.Retrying:
                    log.Message(LogImportance.Normal, $"{id}: Retrying");
                    break;
                case TransferStatus.Uploading:
                    log.Message(LogImportance.Low, $"{id}: Pushing {Size(value.Transferred)} of {Size(value.Size)}");
                    break;
                default:
                    log.Message(LogImportance.Low, $"{id}: {value.Status}");
                    break;
            }
        }
    }

    private static string Size(long bytes) => bytes switch
    {
        < 1000 => bytes.ToString(CultureInfo.InvariantCulture) + " B",
        < 1_000_000 => (bytes / 1e3).ToString("0.0", CultureInfo.InvariantCulture) + " kB",
        < 1_000_000_000 => (bytes / 1e6).ToString("0.0", CultureInfo.InvariantCulture) + " MB",
        _ => (bytes / 1e9).ToString("0.00", CultureInfo.InvariantCulture) + " GB",
    };
}
