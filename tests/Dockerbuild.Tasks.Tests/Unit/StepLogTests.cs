using Dockerbuild.Dockerfile;
using Dockerbuild.Engine.Execution;
using Dockerbuild.Publish.Diagnostics;
using Dockerbuild.Publish.Logging;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace Dockerbuild.Tasks.Tests.Unit;

/// <summary>The engine's progress as MSBuild messages: steps at normal importance, RUN output at low, warnings coded.</summary>
public sealed class StepLogTests
{
    [Fact]
    public void StepsAreNormalImportanceLinesAndRunOutputLowImportance()
    {
        var (engine, steps) = Create();
        var run = new SourceSpan("Dockerfile", 4, 1, 5, 12);

        steps.Report(new BuildEvent(BuildEventKind.Started, 1, "[build 1/3] FROM docker.io/library/busybox:latest"));
        steps.Report(new BuildEvent(BuildEventKind.Cached, 1, "[build 1/3] FROM docker.io/library/busybox:latest"));
        steps.Report(new BuildEvent(BuildEventKind.Started, 2, "[2/3] RUN make") { Span = run });
        steps.Report(new BuildEvent(BuildEventKind.Output, 2, "compiling"));
        steps.Report(new BuildEvent(BuildEventKind.Done, 2, "[2/3] RUN make", TimeSpan.FromSeconds(1.24)));

        Assert.Equal(
            [
                (MessageImportance.Normal, "Step 1/3 (build) FROM docker.io/library/busybox:latest"),
                (MessageImportance.Normal, "Step 1/3 (build) CACHED"),
                (MessageImportance.Normal, "Step 2/3 RUN make"),
                (MessageImportance.Low, "Step 2/3 | compiling"),
                (MessageImportance.Normal, "Step 2/3 DONE 1.2s"),
            ],
            engine.Messages.Select(m => (m.Importance, m.Message)));
        Assert.Equal((1, 1), (steps.Executed, steps.Cached));
    }

    [Fact]
    public void AStepErrorRemembersTheStepsLineAndBuildWarningsAreDkb2001()
    {
        var (engine, steps) = Create();
        var copy = new SourceSpan("Dockerfile", 7, 1, 7, 20);

        steps.Report(new BuildEvent(BuildEventKind.Started, 3, "[3/4] COPY missing /x") { Span = copy });
        steps.Report(new BuildEvent(BuildEventKind.Error, 3, "\"/missing\": not found"));
        steps.Report(new BuildEvent(BuildEventKind.Warning, 0, "One or more build-args [NOPE] were not consumed"));

        Assert.Equal(copy, steps.FailedStep);
        Assert.Empty(engine.Errors);
        var warning = Assert.Single(engine.Warnings);
        Assert.Equal((DiagnosticCodes.BuildWarning, "/src/Dockerfile", "One or more build-args [NOPE] were not consumed"), (warning.Code, warning.File, warning.Message));
    }

    private static (RecordingBuildEngine Engine, StepLog Steps) Create()
    {
        var engine = new RecordingBuildEngine();
        var log = new TaskLoggingHelper(engine, "DockerfileBuild");
        return (engine, new StepLog(new DiagnosticLog(new MsBuildLog(log)), "/src/Dockerfile"));
    }
}
