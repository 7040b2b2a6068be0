using Dockerbuild.Cli.Commands;
using Dockerbuild.Cli.Progress;
using Dockerbuild.Engine.Execution;

namespace Dockerbuild.Cli.Tests.Progress;

/// <summary>
/// --progress as buildx shows it: auto is the tty display on a terminal and plain lines otherwise;
/// the tty display (buildx's progressui) redraws a header and one line per step with times at the
/// right edge and the running steps' last output lines, and leaves the FINISHED frame on screen.
/// </summary>
public sealed class BuildDisplayTests
{
    private static readonly ConsoleSize Wide = new(60, 40);

    [Theory]
    [InlineData(false, "xterm-256color", typeof(PlainProgress))]
    [InlineData(true, "xterm-256color", typeof(TtyProgress))]
    [InlineData(true, "dumb", typeof(PlainProgress))]
    public void AutoIsTtyOnlyOnATerminal(bool isTerminal, string term, Type expected)
    {
        using var display = BuildDisplays.Create(BuildProgressMode.Auto, TextWriter.Null, isTerminal, term, () => Wide);

        Assert.IsType(expected, display);
    }

    [Fact]
    public void ModesAreBuildxs()
    {
        Assert.Equal(BuildProgressMode.Tty, BuildDisplays.ParseMode("tty"));
        Assert.Equal(BuildProgressMode.Plain, BuildDisplays.ParseMode("plain"));
        Assert.Null(BuildDisplays.Create(BuildProgressMode.Quiet, TextWriter.Null, true, "xterm", () => Wide));
        Assert.IsType<TtyProgress>(BuildDisplays.Create(BuildProgressMode.Tty, TextWriter.Null, false, null, () => Wide));
    }

    [Theory]
    [InlineData(null, "auto")]
    [InlineData("plain", "plain")]
    [InlineData("TTY", "tty")]
    [InlineData("fancy", "auto")]
    public void BuildkitProgressSetsTheDefault(string? value, string expected) =>
        Assert.Equal(expected, BuildDisplays.DefaultMode(name => name == "BUILDKIT_PROGRESS" ? value : null));

    [Fact]
    public void WithoutATerminalTheOutputIsPlainLines()
    {
        using var output = new StringWriter();
        using (var display = BuildDisplays.Create(BuildProgressMode.Auto, output, isTerminal: false, "xterm", () => Wide)!)
        {
            Feed(display);
            display.Finish("sha256:aaa", ["docker.io/library/app:latest"], "sha256:bbb");
        }

        Assert.Equal(
            """

            #1 [1/3] FROM docker.io/library/busybox:latest
            #1 DONE 0.1s

            #2 [2/3] COPY . /src
            #2 CACHED

            #3 [3/3] RUN make
            #3 0.500 compiling
            #3 DONE 1.5s

            #0 exporting to image
            #0 writing image sha256:aaa done
            #0 naming to docker.io/library/app:latest done
            #0 DONE manifest sha256:bbb

            """.ReplaceLineEndings("\n"),
            output.ToString().ReplaceLineEndings("\n"));
        Assert.DoesNotContain('\u001b', output.ToString());
    }

    [Fact]
    public void TheFinalTtyFrameShowsEveryStepFinished()
    {
        var now = TimeSpan.Zero;
        using var output = new StringWriter();
        var display = new TtyProgress(output, () => Wide, () => now, tick: false);
        Feed(display, t => now = t);
        now = TimeSpan.FromSeconds(2.04);
        display.Finish("sha256:aaa", ["docker.io/library/app:latest"], "sha256:bbb");

        Assert.Equal(
            [
                "[+] Building 2.0s (4/4) FINISHED",
                " => [1/3] FROM docker.io/library/busybox:latest         0.1s",
                " => CACHED [2/3] COPY . /src                            0.0s",
                " => [3/3] RUN make                                      1.5s",
                " => exporting to image                                  0.0s",
                " => => exporting layers                                 0.0s",
                " => => writing image sha256:aaa                         0.0s",
                " => => naming to docker.io/library/app:latest           0.0s",
                " => => exporting manifest sha256:bbb                    0.0s",
            ],
            display.Render());
        var text = output.ToString();
        Assert.Contains("\u001b[", text, StringComparison.Ordinal);
        Assert.EndsWith("\u001b[2K => => exporting manifest sha256:bbb                    0.0s\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void ARunningStepShowsItsTimeSoFarAndItsLastSixLines()
    {
        var now = TimeSpan.Zero;
        var display = new TtyProgress(TextWriter.Null, () => new ConsoleSize(40, 40), () => now, tick: false);
        display.Report(new BuildEvent(BuildEventKind.Started, 1, "[1/1] RUN for i in 1 2 3 4 5 6 7 8; do echo line $i; done"));
        for (var i = 1; i <= 8; i++)
        {
            display.Report(new BuildEvent(BuildEventKind.Output, 1, "line " + i));
        }

        now = TimeSpan.FromSeconds(3.25);

        Assert.Equal(
            [
                "[+] Building 3.3s (0/1)",
                " => [1/1] RUN for i in 1 2 3 4 5 6  3.3s",
                " => => # line 3",
                " => => # line 4",
                " => => # line 5",
                " => => # line 6",
                " => => # line 7",
                " => => # line 8",
            ],
            display.Render());
    }

    [Fact]
    public void OnAShortTerminalFinishedStepsLeaveTheFrameFirst()
    {
        var now = TimeSpan.Zero;
        var display = new TtyProgress(TextWriter.Null, () => new ConsoleSize(40, 5), () => now, tick: false);
        for (var step = 1; step <= 4; step++)
        {
            display.Report(new BuildEvent(BuildEventKind.Started, step, $"[{step}/5] RUN step {step}"));
            display.Report(new BuildEvent(BuildEventKind.Done, step, "", TimeSpan.FromSeconds(1)));
        }

        display.Report(new BuildEvent(BuildEventKind.Started, 5, "[5/5] RUN last"));
        display.Report(new BuildEvent(BuildEventKind.Output, 5, "working"));

        var frame = display.Render();
        Assert.True(frame.Count <= 4, string.Join('\n', frame));
        Assert.Equal("[+] Building 0.0s (4/5)", frame[0]);
        Assert.Equal(" => => # working", frame[^1]);
        Assert.Contains(" => [5/5] RUN last                  0.0s", frame);
    }

    [Fact]
    public void AFailedStepIsMarkedAndKeepsItsOutput()
    {
        var now = TimeSpan.Zero;
        var display = new TtyProgress(TextWriter.Null, () => Wide, () => now, tick: false);
        display.Report(new BuildEvent(BuildEventKind.Started, 1, "[1/1] RUN false"));
        display.Report(new BuildEvent(BuildEventKind.Output, 1, "oops"));
        display.Report(new BuildEvent(BuildEventKind.Error, 1, "exit code: 1", TimeSpan.FromSeconds(0.2)));
        display.Fail();

        Assert.Equal(
            [
                "[+] Building 0.0s (1/1) FINISHED",
                " => ERROR [1/1] RUN false                               0.2s",
                " => => # oops",
            ],
            display.Render());
    }

    /// <summary>buildx lists build check findings after the build (or before its error), in both modes.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void CheckFindingsAreListedWhenTheBuildEnds(bool tty)
    {
        using var output = new StringWriter();
        using var display = BuildDisplays.Create(tty ? BuildProgressMode.Tty : BuildProgressMode.Plain, output, false, null, () => Wide)!;
        display.Report(new BuildEvent(BuildEventKind.Started, 1, "[1/1] FROM scratch"));
        display.Report(new BuildEvent(BuildEventKind.CheckWarning, 0, "JSONArgsRecommended: JSON arguments recommended for CMD to prevent unintended behavior related to OS signals (line 2)"));
        display.Report(new BuildEvent(BuildEventKind.CheckWarning, 0, "UndefinedVar: Usage of undefined variable '$X' (line 3)"));
        display.Report(new BuildEvent(BuildEventKind.Done, 1, "", TimeSpan.FromSeconds(0.1)));
        Assert.DoesNotContain("warnings found", output.ToString(), StringComparison.Ordinal);

        display.Fail();

        Assert.EndsWith(
            """

             2 warnings found:
             - JSONArgsRecommended: JSON arguments recommended for CMD to prevent unintended behavior related to OS signals (line 2)
             - UndefinedVar: Usage of undefined variable '$X' (line 3)

            """.ReplaceLineEndings("\n"),
            output.ToString().ReplaceLineEndings("\n"),
            StringComparison.Ordinal);
    }

    private static void Feed(IBuildDisplay display, Action<TimeSpan>? advance = null)
    {
        advance?.Invoke(TimeSpan.Zero);
        display.Report(new BuildEvent(BuildEventKind.Started, 1, "[1/3] FROM docker.io/library/busybox:latest", Elapsed: TimeSpan.Zero));
        display.Report(new BuildEvent(BuildEventKind.Done, 1, "", TimeSpan.FromSeconds(0.1), TimeSpan.FromSeconds(0.1)));
        display.Report(new BuildEvent(BuildEventKind.Started, 2, "[2/3] COPY . /src", Elapsed: TimeSpan.FromSeconds(0.1)));
        display.Report(new BuildEvent(BuildEventKind.Cached, 2, "[2/3] COPY . /src", Elapsed: TimeSpan.FromSeconds(0.1)));
        advance?.Invoke(TimeSpan.FromSeconds(0.1));
        display.Report(new BuildEvent(BuildEventKind.Started, 3, "[3/3] RUN make", Elapsed: TimeSpan.FromSeconds(0.1)));
        display.Report(new BuildEvent(BuildEventKind.Output, 3, "compiling", Elapsed: TimeSpan.FromSeconds(0.6)));
        display.Report(new BuildEvent(BuildEventKind.Done, 3, "", TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(1.6)));
    }
}
