using Dockerbuild.Dockerfile;
using Dockerbuild.Engine;
using Dockerbuild.Engine.Execution;
using Dockerbuild.Oci.Registry;
using Dockerbuild.Oci.Storage;
using Dockerbuild.Publish.Diagnostics;

namespace Dockerbuild.Tasks.Tests.Unit;

/// <summary>The engine's typed exceptions as coded MSBuild errors at the Dockerfile line they concern.</summary>
public sealed class BuildFailureTests
{
    private const string Dockerfile = "/src/app/Dockerfile";

    [Fact]
    public void AFailedRunIsDkb1101AtItsLineWithTheEnginesMessageAndItsLastOutputLines()
    {
        var span = new SourceSpan("Dockerfile", 5, 1, 6, 10);
        var output = Enumerable.Range(1, 12).Select(i => "line " + i).ToList();

        var failure = BuildFailure.From(new BuildStepException(span, "/bin/sh -c make", 2, output), null, Dockerfile);

        Assert.NotNull(failure);
        Assert.Equal((DiagnosticCodes.RunFailed, new DiagnosticLocation(Dockerfile, 5, 1)), (failure.Code, failure.Location));
        var lines = failure.Message.Split(Environment.NewLine);
        Assert.Equal("process \"/bin/sh -c make\" did not complete successfully: exit code: 2", lines[0]);
        Assert.Equal(output.TakeLast(BuildFailure.OutputTailLines).Select(l => "  > " + l), lines.Skip(1));
    }

    [Fact]
    public void DockerfileErrorsAreDkb1002UnlessTheyCarryACauseWhoseCodeTheyTakeAtTheirLine()
    {
        var from = new SourceSpan("Dockerfile", 1, 1, 1, 20);

        var invalid = BuildFailure.From(new DockerfileException(from, "unknown instruction: FORM"), null, Dockerfile);
        Assert.Equal(new BuildFailure(DiagnosticCodes.InvalidDockerfile, new DiagnosticLocation(Dockerfile, 1, 1), "unknown instruction: FORM"), invalid);

        var missingBase = new DockerfileException(from, "pull access denied for nope", new BuildException("pull access denied for nope", new ImageNotFoundException("nope")));
        Assert.Equal(new BuildFailure(DiagnosticCodes.BaseImageNotFound, new DiagnosticLocation(Dockerfile, 1, 1), "pull access denied for nope"), BuildFailure.From(missingBase, null, Dockerfile));
    }

    [Fact]
    public void RegistryFailuresKeepTheBuildsMessageAndTakeTheirKindsCode()
    {
        var auth = new BuildException("failed to push 127.0.0.1:5000/app:latest: authentication required", new RegistryAuthenticationException("127.0.0.1:5000", "authentication required"));
        var helper = new CredentialHelperException("pass", "127.0.0.1:5000", "exit status 1");
        var other = new RegistryException("127.0.0.1:5000", "connection refused");

        Assert.Equal(new BuildFailure(DiagnosticCodes.RegistryAuthentication, DiagnosticLocation.OfFile(Dockerfile), auth.Message), BuildFailure.From(auth, null, Dockerfile));
        Assert.Equal(DiagnosticCodes.CredentialHelperFailed, BuildFailure.From(helper, null, Dockerfile)!.Code);
        Assert.Equal(DiagnosticCodes.RegistryFailed, BuildFailure.From(other, null, Dockerfile)!.Code);
    }

    [Fact]
    public void AFailureWithoutALocationPointsAtTheStepThatReportedItElseAtTheDockerfile()
    {
        var copy = new SourceSpan("Dockerfile", 3, 1, 3, 15);

        Assert.Equal(new BuildFailure(DiagnosticCodes.StepFailed, new DiagnosticLocation(Dockerfile, 3, 1), "\"/x\": not found"), BuildFailure.From(new BuildException("\"/x\": not found"), copy, Dockerfile));
        Assert.Equal(new BuildFailure(DiagnosticCodes.BuildFailed, DiagnosticLocation.OfFile(Dockerfile), "target stage \"nope\" could not be found"), BuildFailure.From(new BuildException("target stage \"nope\" could not be found"), null, Dockerfile));
        Assert.Null(BuildFailure.From(new InvalidOperationException("a bug"), copy, Dockerfile));
    }
}
