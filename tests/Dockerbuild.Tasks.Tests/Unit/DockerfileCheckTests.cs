using Dockerbuild.Dockerfile.Checks;
using Dockerbuild.Publish.Diagnostics;
using Dockerbuild.Testing;
using Microsoft.Build.Utilities;

namespace Dockerbuild.Tasks.Tests.Unit;

/// <summary>The DockerfileCheck task run directly: findings become coded MSBuild diagnostics at the Dockerfile's line and column.</summary>
public sealed class DockerfileCheckTests
{
    [Fact]
    public void EachFindingIsAWarningAtItsLineAndColumnCodedWithTheRuleAndLinkedToItsPage()
    {
        using var temp = new TempDirectory();
        var dockerfile = temp.Combine("Dockerfile");
        File.WriteAllText(dockerfile, "FROM scratch AS base\n  CMD echo hi\nMAINTAINER me\n");
        var engine = new RecordingBuildEngine();

        var succeeded = new DockerfileCheck { BuildEngine = engine, Dockerfile = dockerfile, StoreRoot = temp.Combine("store") }.Execute();

        Assert.True(succeeded);
        Assert.Empty(engine.Errors);
        Assert.Equal(
            [
                (2, 3, "JSONArgsRecommended", "JSON arguments recommended for CMD to prevent unintended behavior related to OS signals", "https://docs.docker.com/go/dockerfile/rule/json-args-recommended/"),
                (3, 1, "MaintainerDeprecated", "Maintainer instruction is deprecated in favor of using label", "https://docs.docker.com/go/dockerfile/rule/maintainer-deprecated/"),
            ],
            engine.Warnings.Select(w => (w.LineNumber, w.ColumnNumber, w.Code, w.Message, w.HelpLink)));
        Assert.All(engine.Warnings, w => Assert.Equal(dockerfile, w.File));
    }

    [Fact]
    public void CheckErrorTrueTurnsFindingsIntoErrorsAndTheBuildArgCanSkipThem()
    {
        using var temp = new TempDirectory();
        var dockerfile = temp.Combine("Dockerfile");
        File.WriteAllText(dockerfile, "# check=error=true\nFROM scratch\nCMD echo hi\n");

        var failing = new RecordingBuildEngine();
        Assert.False(new DockerfileCheck { BuildEngine = failing, Dockerfile = dockerfile, StoreRoot = temp.Combine("store") }.Execute());
        var error = Assert.Single(failing.Errors);
        Assert.Equal(("JSONArgsRecommended", 3, 1), (error.Code, error.LineNumber, error.ColumnNumber));

        // BUILDKIT_DOCKERFILE_CHECK as a build argument overrides the file's directive, as in BuildKit.
        var skipped = new RecordingBuildEngine();
        var arg = new TaskItem("BUILDKIT_DOCKERFILE_CHECK");
        arg.SetMetadata("Value", "skip=JSONArgsRecommended");
        Assert.True(new DockerfileCheck { BuildEngine = skipped, Dockerfile = dockerfile, BuildArgs = [arg], StoreRoot = temp.Combine("store") }.Execute());
        Assert.Empty(skipped.Errors);
        Assert.Empty(skipped.Warnings);
    }

    [Fact]
    public void AnInvalidDockerfileIsDkb1002AtTheOffendingLineAndAMissingOneDkb1001()
    {
        using var temp = new TempDirectory();
        var dockerfile = temp.Combine("Dockerfile");
        File.WriteAllText(dockerfile, "FROM scratch\nCOPY --chmod=999 a /b\n");
        var engine = new RecordingBuildEngine();

        Assert.False(new DockerfileCheck { BuildEngine = engine, Dockerfile = dockerfile }.Execute());
        var error = Assert.Single(engine.Errors);
        Assert.Equal((DiagnosticCodes.InvalidDockerfile, dockerfile, 2), (error.Code, error.File, error.LineNumber));

        var missing = new RecordingBuildEngine();
        Assert.False(new DockerfileCheck { BuildEngine = missing, Dockerfile = temp.Combine("nope", "Dockerfile") }.Execute());
        Assert.Equal(DiagnosticCodes.DockerfileNotFound, Assert.Single(missing.Errors).Code);
    }

    [Fact]
    public void ABaseImageInTheLocalStoreLendsItsShellAndEnvironmentToTheChecks()
    {
        using var temp = new TempDirectory();
        var store = temp.Combine("store");
        var baseDirectory = Directory.CreateDirectory(temp.Combine("base")).FullName;
        File.WriteAllText(Path.Combine(baseDirectory, "Dockerfile"), "FROM scratch\nSHELL [\"/bin/sh\", \"-c\"]\nENV FROM_BASE=1\n");
        var build = new DockerfileBuild
        {
            BuildEngine = new RecordingBuildEngine(), Dockerfile = Path.Combine(baseDirectory, "Dockerfile"), ContextDirectory = baseDirectory,
            Repository = "base", Tags = [new TaskItem("1")], StoreRoot = store,
        };
        Assert.True(build.Execute());
        var dockerfile = temp.Combine("Dockerfile");
        File.WriteAllText(dockerfile, "FROM base:1\nENV X=$FROM_BASE/$NOT_DEFINED\nCMD echo hi\n");

        var withBase = new RecordingBuildEngine();
        Assert.True(new DockerfileCheck { BuildEngine = withBase, Dockerfile = dockerfile, StoreRoot = store }.Execute());
        var withoutBase = new RecordingBuildEngine();
        Assert.True(new DockerfileCheck { BuildEngine = withoutBase, Dockerfile = dockerfile, StoreRoot = temp.Combine("empty-store") }.Execute());

        // BuildKit: JSONArgsRecommended does not apply under a base's SHELL; UndefinedVar knows the base's ENV
        // (and stays silent on a base it cannot see).
        Assert.Equal([("UndefinedVar", 2, "Usage of undefined variable '$NOT_DEFINED'")], withBase.Warnings.Select(w => (w.Code, w.LineNumber, w.Message)));
        Assert.Equal([("JSONArgsRecommended", 3)], withoutBase.Warnings.Select(w => (w.Code, w.LineNumber)));
    }

    [Fact]
    public void AStampReplaysTheSameFindingsUntilTheDockerfileABuildArgOrABaseImageChanges()
    {
        using var temp = new TempDirectory();
        var store = temp.Combine("store");
        var baseDirectory = Directory.CreateDirectory(temp.Combine("base")).FullName;
        void BuildBase(string env)
        {
            File.WriteAllText(Path.Combine(baseDirectory, "Dockerfile"), $"FROM scratch\nENV {env}=1\n");
            Assert.True(new DockerfileBuild
            {
                BuildEngine = new RecordingBuildEngine(), Dockerfile = Path.Combine(baseDirectory, "Dockerfile"), ContextDirectory = baseDirectory,
                Repository = "base", Tags = [new TaskItem("1")], StoreRoot = store,
            }.Execute());
        }

        BuildBase("A");
        var dockerfile = temp.Combine("Dockerfile");
        File.WriteAllText(dockerfile, "# check=error=true\nFROM base:1\nENV X=$A/$B\n");
        var stamp = temp.Combine("obj", "dockerbuild.check.json");
        (bool Succeeded, RecordingBuildEngine Engine) Check(params TaskItem[] args)
        {
            var engine = new RecordingBuildEngine();
            return (new DockerfileCheck { BuildEngine = engine, Dockerfile = dockerfile, StoreRoot = store, StampFile = stamp, BuildArgs = args }.Execute(), engine);
        }

        static bool Replayed(RecordingBuildEngine engine) => engine.Messages.Any(m => m.Message!.StartsWith("Dockerfile checks up to date", StringComparison.Ordinal));

        var first = Check();
        Assert.False(first.Succeeded);
        Assert.False(Replayed(first.Engine));
        Assert.True(File.Exists(stamp));
        var again = Check();
        Assert.False(again.Succeeded);
        Assert.True(Replayed(again.Engine));
        Assert.Equal(
            first.Engine.Errors.Select(e => (e.Code, e.File, e.LineNumber, e.ColumnNumber, e.Message, e.HelpLink)),
            again.Engine.Errors.Select(e => (e.Code, e.File, e.LineNumber, e.ColumnNumber, e.Message, e.HelpLink)));
        Assert.Equal([("UndefinedVar", 3, "Usage of undefined variable '$B'")], again.Engine.Errors.Select(e => (e.Code, e.LineNumber, e.Message![..32])));

        // The same tag on a new image with another ENV: checked again, with that base's env.
        BuildBase("B");
        var rebased = Check();
        Assert.False(Replayed(rebased.Engine));
        Assert.Equal([("UndefinedVar", 3, "Usage of undefined variable '$A'")], rebased.Engine.Errors.Select(e => (e.Code, e.LineNumber, e.Message![..32])));

        // A build argument that changes the checks: checked again, nothing found.
        var arg = new TaskItem("BUILDKIT_DOCKERFILE_CHECK");
        arg.SetMetadata("Value", "skip=UndefinedVar");
        var skipped = Check(arg);
        Assert.True(skipped.Succeeded);
        Assert.False(Replayed(skipped.Engine));
        Assert.Empty(skipped.Engine.Errors);

        // A changed Dockerfile: checked again.
        File.WriteAllText(dockerfile, "FROM base:1\nENV X=$B\n");
        var edited = Check();
        Assert.True(edited.Succeeded);
        Assert.False(Replayed(edited.Engine));
        Assert.Empty(edited.Engine.Warnings);

        // A .dockerignore appearing in the context (CopyIgnoredFile reads it): checked again.
        Assert.True(Replayed(Check().Engine));
        File.WriteAllText(temp.Combine(".dockerignore"), "secret\n");
        Assert.False(Replayed(Check().Engine));
    }

    /// <summary>BuildKit's DocURL of every rule (frontend/dockerfile/linter/ruleset.go).</summary>
    [Theory]
    [InlineData("StageNameCasing", "stage-name-casing")]
    [InlineData("FromAsCasing", "from-as-casing")]
    [InlineData("NoEmptyContinuation", "no-empty-continuation")]
    [InlineData("ConsistentInstructionCasing", "consistent-instruction-casing")]
    [InlineData("DuplicateStageName", "duplicate-stage-name")]
    [InlineData("ReservedStageName", "reserved-stage-name")]
    [InlineData("JSONArgsRecommended", "json-args-recommended")]
    [InlineData("MaintainerDeprecated", "maintainer-deprecated")]
    [InlineData("UndefinedArgInFrom", "undefined-arg-in-from")]
    [InlineData("WorkdirRelativePath", "workdir-relative-path")]
    [InlineData("UndefinedVar", "undefined-var")]
    [InlineData("MultipleInstructionsDisallowed", "multiple-instructions-disallowed")]
    [InlineData("LegacyKeyValueFormat", "legacy-key-value-format")]
    [InlineData("SecretsUsedInArgOrEnv", "secrets-used-in-arg-or-env")]
    [InlineData("InvalidDefaultArgInFrom", "invalid-default-arg-in-from")]
    [InlineData("ExposeProtoCasing", "expose-proto-casing")]
    [InlineData("RedundantTargetPlatform", "redundant-target-platform")]
    [InlineData("FromPlatformFlagConstDisallowed", "from-platform-flag-const-disallowed")]
    [InlineData("CopyIgnoredFile", "copy-ignored-file")]
    [InlineData("InvalidDefinitionDescription", "invalid-definition-description")]
    [InlineData("ExposeInvalidFormat", "expose-invalid-format")]
    public void RuleLinksAreBuildKitsDocumentationPages(string rule, string page)
    {
        Assert.Contains(rule, BuildChecks.RuleNames);
        Assert.Equal($"https://docs.docker.com/go/dockerfile/rule/{page}/", DiagnosticLog.RuleLink(rule));
    }

    [Fact]
    public void InvalidBaseImagePlatformHasNoPageAsInBuildKit() => Assert.Null(DiagnosticLog.RuleLink("InvalidBaseImagePlatform"));
}
