using System.Diagnostics;
using System.Globalization;
using System.Text;
using Dockerbuild.Engine.Execution;

namespace Dockerbuild.Cli.Progress;

/// <summary>
/// buildx's tty progress: a <c>[+] Building 3.2s (4/6)</c> header and one <c> => [2/3] RUN make   1.4s</c>
/// line per step, the running steps' times counting up and their last output lines shown under them
/// (<c> => => # ...</c>), the whole frame redrawn in place. Lines are cut to the terminal's width; when
/// the frame is taller than the terminal, finished steps at the top are left out first. The last
/// frame (FINISHED) stays on the screen. The size and the clock are given, so a test can render frames
/// without a terminal or a timer.
/// </summary>
internal sealed class TtyProgress : IBuildDisplay
{
    private const int LogLines = 6;
    private static readonly TimeSpan TickInterval = TimeSpan.FromMilliseconds(150);

    private readonly TextWriter writer;
    private readonly Func<ConsoleSize> size;
    private readonly Func<TimeSpan> clock;
    private readonly Lock gate = new();
    private readonly List<StepView> steps = [];
    private readonly Dictionary<int, StepView> byNumber = [];
    private readonly List<string> warnings = [];
    private readonly CheckWarnings checks = new();
    private readonly Timer? ticker;
    private int drawn;
    private bool finished;

    /// <param name="clock">Time since the build began; a stopwatch when null.</param>
    /// <param name="tick">Redraw on a timer so running times count up (off in tests: frames are drawn on events only).</param>
    public TtyProgress(TextWriter writer, Func<ConsoleSize> size, Func<TimeSpan>? clock = null, bool tick = true)
    {
        this.writer = writer;
        this.size = size;
        if (clock is null)
        {
            var watch = Stopwatch.StartNew();
            clock = () => watch.Elapsed;
        }

        this.clock = clock;
        ticker = tick ? new Timer(_ => Redraw(), null, TickInterval, TickInterval) : null;
    }

    public void Report(BuildEvent value)
    {
        ArgumentNullException.ThrowIfNull(value);
        lock (gate)
        {
            if (finished || checks.TryAdd(value))
            {
                return;
            }

            switch (value.Kind)
            {
                case BuildEventKind.Started:
                    var step = new StepView(value.Text, clock());
                    steps.Add(step);
                    byNumber[value.Step] = step;
                    break;
                case BuildEventKind.Output when byNumber.TryGetValue(value.Step, out var running):
                    running.Logs.Enqueue(value.Text);
                    while (running.Logs.Count > LogLines)
                    {
                        running.Logs.Dequeue();
                    }

                    break;
                case BuildEventKind.Cached when byNumber.TryGetValue(value.Step, out var cached):
                    cached.Cached = true;
                    cached.Duration = TimeSpan.Zero;
                    break;
                case BuildEventKind.Done when byNumber.TryGetValue(value.Step, out var done):
                    done.Duration = value.Duration;
                    break;
                case BuildEventKind.Error when byNumber.TryGetValue(value.Step, out var failed):
                    failed.Failed = true;
                    failed.Duration = value.Duration;
                    break;
                case BuildEventKind.Warning:
                    warnings.Add(value.Text);
                    break;
            }

            DrawLocked();
        }
    }

    public void Finish(string imageId, IReadOnlyList<string> tags, string manifestDigest, IReadOnlyList<string>? platformManifests = null)
    {
        ArgumentNullException.ThrowIfNull(tags);
        lock (gate)
        {
            var export = new StepView("exporting to image", clock()) { Duration = TimeSpan.Zero };
            export.Children.Add("exporting layers");
            export.Children.AddRange((platformManifests ?? []).Select(m => "exporting manifest " + m));
            export.Children.Add("writing image " + imageId);
            export.Children.AddRange(tags.Select(t => "naming to " + t));
            export.Children.Add((platformManifests is { Count: > 0 } ? "exporting manifest list " : "exporting manifest ") + manifestDigest);
            steps.Add(export);
        }

        End();
    }

    public void Fail() => End();

    public void Dispose() => End();

    /// <summary>The frame as it would be drawn now, one string per terminal line.</summary>
    public IReadOnlyList<string> Render()
    {
        lock (gate)
        {
            return RenderLocked();
        }
    }

    private void End()
    {
        ticker?.Dispose();
        lock (gate)
        {
            if (finished)
            {
                return;
            }

            foreach (var step in steps.Where(s => s.Duration is null))
            {
                // A step still running when the build stopped (a stage cancelled beside a failure).
                step.Duration = clock() - step.Started;
            }

            finished = true;
            DrawLocked();
            foreach (var warning in warnings)
            {
                writer.WriteLine("WARNING: " + warning);
            }

            checks.WriteTo(writer);

            writer.Flush();
        }
    }

    private void Redraw()
    {
        lock (gate)
        {
            if (!finished)
            {
                DrawLocked();
            }
        }
    }

    private void DrawLocked()
    {
        var lines = RenderLocked();
        var frame = new StringBuilder();
        if (drawn > 0)
        {
            frame.Append("\u001b[").Append(drawn.ToString(CultureInfo.InvariantCulture)).Append('A');
        }

        foreach (var line in lines)
        {
            frame.Append("\u001b[2K").Append(line).Append('\n');
        }

        // A shorter frame than the last one: blank the rest and come back up.
        var extra = drawn - lines.Count;
        for (var i = 0; i < extra; i++)
        {
            frame.Append("\u001b[2K\n");
        }

        if (extra > 0)
        {
            frame.Append("\u001b[").Append(extra.ToString(CultureInfo.InvariantCulture)).Append('A');
        }

        drawn = lines.Count;
        writer.Write(frame.ToString());
        writer.Flush();
    }

    private List<string> RenderLocked()
    {
        var (width, height) = size() is { Width: > 0, Height: > 0 } s ? s : ConsoleSize.Default;
        var now = clock();
        var done = steps.Count(s => s.Duration is not null);
        var header = string.Create(CultureInfo.InvariantCulture, $"[+] Building {Seconds(now)} ({done}/{steps.Count})") + (finished ? " FINISHED" : "");
        var blocks = steps.Select(step => (Step: step, Lines: StepLines(step, now, width))).ToList();

        // Keep the frame within the terminal, leaving finished steps out from the top first.
        var budget = Math.Max(1, height - 2);
        var total = blocks.Sum(b => b.Lines.Count);
        for (var i = 0; i < blocks.Count && total > budget; i++)
        {
            if (blocks[i].Step.Duration is not null && !finished)
            {
                total -= blocks[i].Lines.Count;
                blocks[i] = (blocks[i].Step, []);
            }
        }

        List<string> lines = [Cut(header, width), .. blocks.SelectMany(b => b.Lines)];
        return !finished && lines.Count > height - 1 && height > 2 ? [lines[0], .. lines.Skip(lines.Count - (height - 2))] : lines;
    }

    private static List<string> StepLines(StepView step, TimeSpan now, int width)
    {
        var prefix = step.Failed ? "ERROR " : step.Cached ? "CACHED " : "";
        var lines = new List<string> { Aligned(" => " + prefix + step.Name, Seconds(step.Duration ?? now - step.Started), width) };
        lines.AddRange(step.Children.Select(child => Aligned(" => => " + child, Seconds(TimeSpan.Zero), width)));
        if (step.Duration is null || step.Failed)
        {
            lines.AddRange(step.Logs.Select(log => Cut(" => => # " + log, width)));
        }

        return lines;
    }

    /// <summary>The text cut so that the time fits at the right edge, as buildx aligns it.</summary>
    private static string Aligned(string text, string time, int width)
    {
        var room = width - time.Length - 1;
        if (room <= 0)
        {
            return Cut(text, width);
        }

        text = Cut(text, room).TrimEnd();
        return text + new string(' ', width - text.Length - time.Length) + time;
    }

    private static string Cut(string text, int width)
    {
        text = text.Replace('\t', ' ').Replace("\r", "", StringComparison.Ordinal);
        return text.Length <= width ? text : text[..width];
    }

    private static string Seconds(TimeSpan time) => string.Create(CultureInfo.InvariantCulture, $"{Math.Max(0, time.TotalSeconds):0.0}s");

    private sealed class StepView(string name, TimeSpan started)
    {
        public string Name { get; } = name;

        public TimeSpan Started { get; } = started;

        /// <summary>Null while running.</summary>
        public TimeSpan? Duration { get; set; }

        public bool Cached { get; set; }

        public bool Failed { get; set; }

        public Queue<string> Logs { get; } = new();

        public List<string> Children { get; } = [];
    }
}
