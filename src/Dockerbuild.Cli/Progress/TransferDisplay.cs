using System.Diagnostics;
using Dockerbuild.Oci;
using Dockerbuild.Oci.Registry;

namespace Dockerbuild.Cli.Progress;

/// <summary>
/// Shows the layers of a pull or push as docker does, one line per layer named by its short digest.
/// On a terminal the lines are redrawn in place with progress bars; otherwise (CI logs) a line is
/// written only when a layer's status changes, so logs stay short. Reports come from several transfer
/// threads at once. Blobs not in <c>shown</c> (the config) are not displayed, as in docker.
/// </summary>
internal sealed class TransferDisplay : IProgress<TransferProgress>
{
    private static readonly TimeSpan RedrawInterval = TimeSpan.FromMilliseconds(100);

    private readonly TextWriter output;
    private readonly bool live;
    private readonly TransferDirection direction;
    private readonly IReadOnlySet<Digest> shown;
    private readonly string? mountedFrom;
    private readonly Lock gate = new();
    private readonly List<Digest> order = [];
    private readonly Dictionary<Digest, string> lines = [];
    private readonly Dictionary<Digest, TransferStatus> statuses = [];
    private readonly Stopwatch sinceRedraw = Stopwatch.StartNew();
    private int drawn;

    public TransferDisplay(TextWriter output, bool live, TransferDirection direction, IEnumerable<Digest> shown, string? mountedFrom = null)
    {
        this.output = output;
        this.live = live;
        this.direction = direction;
        this.shown = shown.ToHashSet();
        this.mountedFrom = mountedFrom;
    }

    /// <summary>Lists the layers up front in their order ("Pulling fs layer", "Preparing").</summary>
    public void Start(IEnumerable<Digest> layers)
    {
        foreach (var layer in layers.Where(shown.Contains).Distinct())
        {
            Report(new TransferProgress(layer, 0, 0, TransferStatus.Waiting));
        }
    }

    public void Report(TransferProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!shown.Contains(value.Digest))
        {
            return;
        }

        lock (gate)
        {
            var changed = !statuses.TryGetValue(value.Digest, out var previous) || previous != value.Status;
            if (!changed && value.Status == TransferStatus.Waiting)
            {
                return;
            }

            statuses[value.Digest] = value.Status;
            if (!lines.ContainsKey(value.Digest))
            {
                order.Add(value.Digest);
            }

            if (live)
            {
                lines[value.Digest] = $"{value.Digest.Short}: {Text(value, withBar: true)}";
                if (changed || sinceRedraw.Elapsed >= RedrawInterval)
                {
                    Redraw();
                }

                return;
            }

            lines[value.Digest] = "";
            if (changed && value.Status is not (TransferStatus.Downloading or TransferStatus.Uploading))
            {
                foreach (var text in PlainLines(value))
                {
                    output.WriteLine($"{value.Digest.Short}: {text}");
                }
            }
        }
    }

    /// <summary>Draws the final state (a terminal shows every layer's last status).</summary>
    public void Finish()
    {
        lock (gate)
        {
            if (live)
            {
                Redraw();
            }
        }
    }

    private void Redraw()
    {
        if (drawn > 0)
        {
            output.Write($"\u001b[{drawn}A");
        }

        foreach (var digest in order)
        {
            output.Write("\u001b[2K");
            output.WriteLine(lines[digest]);
        }

        drawn = order.Count;
        output.Flush();
        sinceRedraw.Restart();
    }

    private IEnumerable<string> PlainLines(TransferProgress value) =>
        (direction, value.Status) switch
        {
            (TransferDirection.Pull, TransferStatus.Complete) => ["Download complete", "Pull complete"],
            _ => [Text(value, withBar: false)],
        };

    private string Text(TransferProgress value, bool withBar) => (direction, value.Status) switch
    {
        (TransferDirection.Pull, TransferStatus.Waiting) => "Pulling fs layer",
        (TransferDirection.Pull, TransferStatus.Downloading) => withBar ? "Downloading " + ProgressBar.Format(value.Transferred, value.Size) : "Downloading",
        (TransferDirection.Pull, TransferStatus.Complete) => "Pull complete",
        (TransferDirection.Pull, TransferStatus.Exists) => "Already exists",
        (TransferDirection.Push, TransferStatus.Waiting) => "Preparing",
        (TransferDirection.Push, TransferStatus.Uploading) => withBar ? "Pushing " + ProgressBar.Format(value.Transferred, value.Size) : "Pushing",
        (TransferDirection.Push, TransferStatus.Complete) => "Pushed",
        (TransferDirection.Push, TransferStatus.Exists) => "Layer already exists",
        (TransferDirection.Push, TransferStatus.Mounted) => mountedFrom is null ? "Mounted" : "Mounted from " + mountedFrom,
        (_, TransferStatus.Retrying) => "Retrying",
        _ => value.Status.ToString(),
    };
}
