using System.Globalization;
using Dockerbuild.Oci;
using Dockerbuild.Oci.Registry;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace Dockerbuild.Tasks.Logging;

/// <summary>
/// Push progress as docker prints it, one message per blob and status change (<c>a1b2c3d4e5f6: Pushed
/// 12.3 MB</c>) at normal verbosity, with each further quarter of an upload at detailed verbosity.
/// </summary>
internal sealed class PushLog(TaskLoggingHelper log) : IProgress<TransferProgress>
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
                    log.LogMessage(MessageImportance.Normal, "{0}: Pushed {1}", id, Size(value.Size));
                    break;
                case TransferStatus.Exists:
                    log.LogMessage(MessageImportance.Normal, "{0}: Layer already exists", id);
                    break;
                case TransferStatus.Mounted:
                    log.LogMessage(MessageImportance.Normal, "{0}: Mounted from another repository", id);
                    break;
                case TransferStatus.Retrying:
                    log.LogMessage(MessageImportance.Normal, "{0}: Retrying", id);
                    break;
                case TransferStatus.Uploading:
                    log.LogMessage(MessageImportance.Low, "{0}: Pushing {1} of {2}", id, Size(value.Transferred), Size(value.Size));
                    break;
                default:
                    log.LogMessage(MessageImportance.Low, "{0}: {1}", id, value.Status);
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
