using System.Globalization;
using Dockerbuild.Cli.Progress;
using Dockerbuild.Engine.Execution;

namespace Dockerbuild.Cli.Commands;

/// <summary>
/// BuildKit's plain progress: a blank line and <c>#N [stage i/n] INSTRUCTION</c> when a step starts,
/// <c>#N 0.123 text</c> per output line (seconds since the step began), then <c>#N CACHED</c> or
/// <c>#N DONE 0.3s</c> or <c>#N ERROR: ...</c>. Reports come from several stages at once, so each
/// line is written whole under a lock. The export ends it as <c>#0 ...</c> lines, then the build
/// check findings are listed as buildx lists them.
/// </summary>
internal sealed class PlainProgress(TextWriter writer) : IBuildDisplay
{
    private readonly Lock gate = new();
    private readonly Dictionary<int, TimeSpan> started = [];
    private readonly CheckWarnings checks = new();

    public void Report(BuildEvent value)
    {
        ArgumentNullException.ThrowIfNull(value);
        lock (gate)
        {
            if (checks.TryAdd(value))
            {
                return;
            }

            switch (value.Kind)
            {
                case BuildEventKind.Started:
                    started[value.Step] = value.Elapsed;
                    writer.WriteLine();
                    writer.WriteLine($"#{value.Step} {value.Text}");
                    break;
                case BuildEventKind.Output:
                    var since = value.Elapsed - started.GetValueOrDefault(value.Step);
                    writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"#{value.Step} {since.TotalSeconds:0.000} {value.Text}"));
                    break;
                case BuildEventKind.Cached:
                    writer.WriteLine($"#{value.Step} CACHED");
                    break;
                case BuildEventKind.Done:
                    writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"#{value.Step} DONE {value.Duration.TotalSeconds:0.0}s"));
                    break;
                case BuildEventKind.Error:
                    writer.WriteLine($"#{value.Step} ERROR: {value.Text}");
                    break;
                case BuildEventKind.Warning:
                    writer.WriteLine();
                    writer.WriteLine($"WARNING: {value.Text}");
                    break;
            }

            writer.Flush();
        }
    }

    public void Finish(string imageId, IReadOnlyList<string> tags, string manifestDigest, IReadOnlyList<string>? platformManifests = null)
    {
        ArgumentNullException.ThrowIfNull(tags);
        lock (gate)
        {
            writer.WriteLine();
            writer.WriteLine("#0 exporting to image");
            foreach (var manifest in platformManifests ?? [])
            {
                writer.WriteLine($"#0 exporting manifest {manifest} done");
            }

            writer.WriteLine($"#0 writing image {imageId} done");
            foreach (var tag in tags)
            {
                writer.WriteLine($"#0 naming to {tag} done");
            }

            writer.WriteLine(platformManifests is { Count: > 0 } ? $"#0 DONE manifest list {manifestDigest}" : $"#0 DONE manifest {manifestDigest}");
            checks.WriteTo(writer);
            writer.Flush();
        }
    }

    /// <summary>Step lines are already all out; the check findings follow.</summary>
    public void Fail()
    {
        lock (gate)
        {
            checks.WriteTo(writer);
            writer.Flush();
        }
    }

    public void Dispose()
    {
    }
}
