using System.Globalization;
using System.Text.RegularExpressions;
using Dockerbuild.Dockerfile;
using Dockerbuild.Engine.Execution;
using Dockerbuild.Publish.Diagnostics;


namespace Dockerbuild.Publish.Logging;

/// <summary>
/// The engine's progress as MSBuild messages: <c>Step 3/7 RUN make</c> when a step starts, then
/// <c>Step 3/7 CACHED</c> or <c>Step 3/7 DONE 1.2s</c>, at normal verbosity; what RUN commands print at
/// detailed verbosity. Remembers each step's Dockerfile line so a failure can point at it. Reports come
/// from stages building in parallel, so each is logged whole under a lock.
/// </summary>
internal sealed partial class StepLog(DiagnosticLog log, string dockerfile) : IProgress<BuildEvent>
{
    private readonly Lock gate = new();
    private readonly Dictionary<int, (string Prefix, SourceSpan? Span)> steps = [];

    /// <summary>The line of the first step that reported an error, for failures that carry no location.</summary>
    public SourceSpan? FailedStep { get; private set; }

    /// <summary>Steps that ran (not taken from the cache), for the summary line.</summary>
    public int Executed { get; private set; }

    public int Cached { get; private set; }

    public void Report(BuildEvent value)
    {
        ArgumentNullException.ThrowIfNull(value);
        lock (gate)
        {
            switch (value.Kind)
            {
                case BuildEventKind.Started:
                    var (prefix, rest) = Split(value.Text);
                    steps[value.Step] = (prefix, value.Span);
                    log.Message(LogImportance.Normal, $"{prefix} {rest}");
                    break;
                case BuildEventKind.Cached:
                    Cached++;
                    log.Message(LogImportance.Normal, $"{PrefixOf(value.Step)} CACHED");
                    break;
                case BuildEventKind.Done:
                    Executed++;
                    log.Message(LogImportance.Normal, $"{PrefixOf(value.Step)} DONE {value.Duration.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)}s");
                    break;
                case BuildEventKind.Output:
                    log.Message(LogImportance.Low, $"{PrefixOf(value.Step)} | {value.Text}");
                    break;
                case BuildEventKind.Error:
                    // The error itself is logged once, coded, from the exception that ends the build.
                    FailedStep ??= steps.TryGetValue(value.Step, out var failed) ? failed.Span : null;
                    log.Message(LogImportance.Normal, $"{PrefixOf(value.Step)} ERROR");
                    break;
                case BuildEventKind.Warning:
                    log.Warning(DiagnosticCodes.BuildWarning, DiagnosticLocation.OfFile(dockerfile), value.Text);
                    break;
                case BuildEventKind.CheckWarning:
                    // The checks were reported by DockerfileCheck; the engine's copy stays at detailed verbosity.
                    log.Message(LogImportance.Low, value.Text);
                    break;
            }
        }
    }

    private string PrefixOf(int step) => steps.TryGetValue(step, out var known) ? known.Prefix : "Step #" + step.ToString(CultureInfo.InvariantCulture);

    /// <summary><c>[build 2/4] RUN make</c> becomes (<c>Step 2/4 (build)</c>, <c>RUN make</c>).</summary>
    internal static (string Prefix, string Instruction) Split(string text)
    {
        var match = StepName().Match(text);
        if (!match.Success)
        {
            return ("Step", text);
        }

        var stage = match.Groups["stage"].Success ? $" ({match.Groups["stage"].Value})" : "";
        return ($"Step {match.Groups["index"].Value}/{match.Groups["total"].Value}{stage}", match.Groups["rest"].Value);
    }

    [GeneratedRegex(@"^\[(?:(?<stage>.+) )?(?<index>\d+)/(?<total>\d+)\] (?<rest>.*)$", RegexOptions.Singleline)]
    private static partial Regex StepName();
}
