using Dockerbuild.Dockerfile.Instructions;
using Dockerbuild.Dockerfile.Syntax;
using static Dockerbuild.Dockerfile.Tests.Instructions.Nodes;

namespace Dockerbuild.Dockerfile.Tests.Instructions;

public sealed class BinderTests
{
    private static T BindOne<T>(InstructionNode node)
        where T : Instruction
    {
        var bound = DockerfileBinder.Bind(File(Node("FROM", ["scratch"]), node));
        return Assert.IsType<T>(Assert.Single(bound.Stages[0].Instructions));
    }

    private static DockerfileException BindFails(InstructionNode node) =>
        Assert.Throws<DockerfileException>(() => DockerfileBinder.Bind(File(Node("FROM", ["scratch"]), node)));

    [Fact]
    public void GlobalArgsComeBeforeTheFirstFromAndStagesAreNumbered()
    {
        var bound = DockerfileBinder.Bind(File(
            Node("ARG", ["VERSION=1.0", "OTHER"]),
            Node("FROM", ["alpine:${VERSION}", "AS", "Build"], ["--platform=$BUILDPLATFORM"]),
            Node("RUN", ["make"]),
            Node("from", ["scratch"]),
            Node("COPY", ["/out", "/"], ["--from=build"])));

        var arg = Assert.Single(bound.GlobalArgs);
        Assert.Equal([new ArgDeclaration("VERSION", "1.0"), new ArgDeclaration("OTHER", null)], arg.Args);
        Assert.Equal(2, bound.Stages.Count);
        var build = bound.Stages[0];
        Assert.Equal(("build", 0, "alpine:${VERSION}", "$BUILDPLATFORM"), (build.Name, build.Index, build.BaseName, build.Platform));
        Assert.Equal(2, build.Span.StartLine);
        Assert.IsType<RunInstruction>(Assert.Single(build.Instructions));
        Assert.Equal((null, 1, "scratch"), (bound.Stages[1].Name, bound.Stages[1].Index, bound.Stages[1].BaseName));
        Assert.Equal("build", Assert.IsType<CopyInstruction>(Assert.Single(bound.Stages[1].Instructions)).From);
    }

    [Fact]
    public void AnInstructionOtherThanArgBeforeFromFailsAtItsLine()
    {
        var e = Assert.Throws<DockerfileException>(() => DockerfileBinder.Bind(File(Node("ARG", ["A"]), Node("RUN", ["x"]), Node("FROM", ["scratch"]))));
        Assert.Equal(2, e.Span.StartLine);
        Assert.Contains("no build stage in current context", e.Message, StringComparison.Ordinal);
        Assert.StartsWith("Dockerfile:2:1: ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AFileWithoutFromFails() =>
        Assert.Throws<DockerfileException>(() => DockerfileBinder.Bind(File(Node("ARG", ["A"]))));

    [Fact]
    public void UnknownInstructionSuggestsTheClosestKeyword()
    {
        var e = BindFails(Node("RUNN", ["x"]));
        Assert.Equal("unknown instruction: RUNN (did you mean RUN?)", e.Reason);
        Assert.Equal(2, e.Span.StartLine);
    }

    [Fact]
    public void UnknownInstructionFarFromAnyKeywordHasNoSuggestion() =>
        Assert.Equal("unknown instruction: FOOBARBAZ", BindFails(Node("FOOBARBAZ", ["x"])).Reason);

    [Fact]
    public void UnknownFlagIsNamedWithASuggestion()
    {
        var e = BindFails(Node("COPY", ["a", "b"], ["--form=build"]));
        Assert.Equal("unknown flag: --form for COPY (did you mean --from?)", e.Reason);
        Assert.Equal(2, e.Span.StartLine);
    }

    [Fact]
    public void FlagsOnAnInstructionThatTakesNoneAreRejected() =>
        Assert.Contains("unknown flag: --foo", BindFails(Node("CMD", ["x"], ["--foo=1"])).Reason, StringComparison.Ordinal);

    [Theory]
    [InlineData("--from", "missing a value on flag: --from")]
    [InlineData("--link=maybe", "expecting boolean value for flag --link, not: maybe")]
    [InlineData("--link=", "missing a value on flag: --link")]
    public void BadFlagValuesAreRejected(string flag, string expected) =>
        Assert.StartsWith(expected, BindFails(Node("COPY", ["a", "b"], [flag])).Reason, StringComparison.Ordinal);

    [Fact]
    public void ADuplicateSingleValueFlagIsRejected() =>
        Assert.Equal("duplicate flag specified: --from", BindFails(Node("COPY", ["a", "b"], ["--from=a", "--from=b"])).Reason);

    [Fact]
    public void FlagNamesAreCaseSensitiveAsInBuildKit() =>
        Assert.Contains("unknown flag: --FROM", BindFails(Node("COPY", ["a", "b"], ["--FROM=a"])).Reason, StringComparison.Ordinal);

    [Fact]
    public void FromAcceptsOneOrThreeArguments()
    {
        Assert.Contains("FROM requires either one or three arguments", Assert.Throws<DockerfileException>(
            () => DockerfileBinder.Bind(File(Node("FROM", ["a", "b"])))).Reason, StringComparison.Ordinal);
        Assert.Contains("invalid name for build stage: \"1st\"", Assert.Throws<DockerfileException>(
            () => DockerfileBinder.Bind(File(Node("FROM", ["a", "AS", "1st"])))).Reason, StringComparison.Ordinal);
        var stage = DockerfileBinder.Bind(File(Node("FROM", ["a", "as", "Web.App"]))).Stages[0];
        Assert.Equal("web.app", stage.Name);
    }

    [Fact]
    public void CopyTakesAllItsFlags()
    {
        var copy = BindOne<CopyInstruction>(Node(
            "COPY",
            ["a", "b/", "/dest/"],
            ["--from=build", "--chown=1000:1000", "--chmod=0755", "--link", "--parents=true", "--exclude=*.md", "--exclude=tmp"]));
        Assert.Equal(["a", "b/"], copy.Sources.Paths);
        Assert.Equal("/dest/", copy.Sources.Destination);
        Assert.Equal(("build", "1000:1000", "0755", true, true), (copy.From, copy.Chown, copy.Chmod, copy.Link, copy.Parents));
        Assert.Equal(["*.md", "tmp"], copy.Excludes);
    }

    [Fact]
    public void CopyDefaultsAreEmpty()
    {
        var copy = BindOne<CopyInstruction>(Node("COPY", ["a", "b"]));
        Assert.Equal((null, null, null, false, false), (copy.From, copy.Chown, copy.Chmod, copy.Link, copy.Parents));
        Assert.Empty(copy.Excludes);
    }

    [Fact]
    public void CopyNeedsADestination() =>
        Assert.StartsWith("COPY requires at least two arguments", BindFails(Node("COPY", ["a"])).Reason, StringComparison.Ordinal);

    [Theory]
    [InlineData("0755")]
    [InlineData("7777")]
    [InlineData("000000000000000755")]
    [InlineData("u+x")]
    [InlineData("u=rwx,go=rx")]
    [InlineData("$MODE")]
    public void ChmodAcceptsOctalSymbolicOrAVariable(string mode) =>
        Assert.Equal(mode, BindOne<CopyInstruction>(Node("COPY", ["a", "b"], [$"--chmod={mode}"])).Chmod);

    [Theory]
    [InlineData("10000")]
    [InlineData("7777777777777777777777")]
    [InlineData("0x1")]
    [InlineData("888")]
    public void ChmodRejectsOtherValues(string mode) =>
        Assert.StartsWith("invalid chmod parameter", BindFails(Node("COPY", ["a", "b"], [$"--chmod={mode}"])).Reason, StringComparison.Ordinal);

    [Fact]
    public void HeredocSourcesBecomeInlineContent()
    {
        var copy = BindOne<CopyInstruction>(Node(
            "COPY",
            ["<<EOF", "<<-\"two\"", "plain", "/dest"],
            heredocs: [new Heredoc("EOF", 0, true, false, "hello\n"), new Heredoc("two", 0, false, true, "\tx\n")]));
        Assert.Equal(["plain"], copy.Sources.Paths);
        Assert.Equal([new InlineSource("EOF", "hello\n", true), new InlineSource("two", "x\n", false)], copy.Sources.Contents);
    }

    [Fact]
    public void AHeredocCannotBeTheDestination() =>
        Assert.Equal("COPY cannot accept a heredoc as a destination", BindFails(Node(
            "COPY", ["a", "<<EOF"], heredocs: [new Heredoc("EOF", 0, true, false, "x\n")])).Reason);

    [Fact]
    public void AddTakesItsOwnFlags()
    {
        var add = BindOne<AddInstruction>(Node(
            "ADD",
            ["https://example.com/a.tar.gz", "/x"],
            ["--checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d", "--keep-git-dir", "--unpack=false", "--chown=app", "--link=false"]));
        Assert.True(add.KeepGitDir);
        Assert.False(add.Link);
        Assert.Equal(false, add.Unpack);
        Assert.Equal("app", add.Chown);
        Assert.StartsWith("sha256:", add.Checksum, StringComparison.Ordinal);
        Assert.Null(BindOne<AddInstruction>(Node("ADD", ["a", "b"])).Unpack);
    }

    [Fact]
    public void AddRejectsCopyOnlyFlags() =>
        Assert.Contains("unknown flag: --from for ADD", BindFails(Node("ADD", ["a", "b"], ["--from=x"])).Reason, StringComparison.Ordinal);

    [Fact]
    public void AddChecksumNeedsOneSourceAndADigest()
    {
        Assert.Contains("multiple sources", BindFails(Node("ADD", ["a", "b", "c"], ["--checksum=sha256:abc"])).Reason, StringComparison.Ordinal);
        Assert.Contains("invalid --checksum", BindFails(Node("ADD", ["a", "c"], ["--checksum=nothex!"])).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void RunKeepsShellAndExecForms()
    {
        var shell = BindOne<RunInstruction>(Node("RUN", ["echo $HOME && ls"]));
        Assert.False(shell.Command.IsExecForm);
        Assert.Equal("echo $HOME && ls", shell.Command.ShellText);
        var exec = BindOne<RunInstruction>(Node("RUN", ["/bin/echo", "hi"], json: true));
        Assert.True(exec.Command.IsExecForm);
        Assert.Null(exec.Command.ShellText);
        Assert.Equal(["/bin/echo", "hi"], exec.Command.Arguments);
        Assert.Null(exec.Network);
        Assert.Null(exec.Security);
        Assert.Empty(exec.Mounts);
    }

    [Fact]
    public void RunHeredocsStayWithTheCommand()
    {
        var run = BindOne<RunInstruction>(Node("RUN", ["<<EOF"], heredocs: [new Heredoc("EOF", 0, true, false, "echo hi\n")]));
        Assert.Equal("echo hi\n", Assert.Single(run.Command.Heredocs).Content);
    }

    [Theory]
    [InlineData("default", RunNetwork.Default)]
    [InlineData("none", RunNetwork.None)]
    [InlineData("host", RunNetwork.Host)]
    public void RunNetworkModes(string value, RunNetwork expected) =>
        Assert.Equal(expected, BindOne<RunInstruction>(Node("RUN", ["x"], [$"--network={value}"])).Network);

    [Fact]
    public void RunRejectsAnUnknownNetworkWithASuggestion() =>
        Assert.Equal("unsupported network mode \"hots\" (expected default, none or host) (did you mean host?)",
            BindFails(Node("RUN", ["x"], ["--network=hots"])).Reason);

    [Fact]
    public void RunSecurityModes()
    {
        Assert.Equal(RunSecurity.Insecure, BindOne<RunInstruction>(Node("RUN", ["x"], ["--security=insecure"])).Security);
        Assert.Equal(RunSecurity.Sandbox, BindOne<RunInstruction>(Node("RUN", ["x"], ["--security=sandbox"])).Security);
        Assert.StartsWith("unsupported security mode", BindFails(Node("RUN", ["x"], ["--security=root"])).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void RunMountsAreParsedInOrder()
    {
        var run = BindOne<RunInstruction>(Node(
            "RUN",
            ["go build"],
            ["--mount=target=/go/pkg/mod,type=cache", "--mount=type=bind,source=go.sum,target=/app/go.sum", "--mount=type=secret,id=npm,env=NPM_TOKEN"]));
        Assert.Equal([MountType.Cache, MountType.Bind, MountType.Secret], run.Mounts.Select(m => m.Type));
        Assert.Equal("/go/pkg/mod", run.Mounts[0].Target);
        Assert.Equal("NPM_TOKEN", run.Mounts[2].Env);
    }

    [Fact]
    public void ABadMountIsAnErrorAtTheInstruction()
    {
        var e = BindFails(Node("RUN", ["x"], ["--mount=type=cahce,target=/x"]));
        Assert.Equal("invalid --mount=type=cahce,target=/x: unsupported mount type \"cahce\" (did you mean cache?)", e.Reason);
        Assert.Equal(2, e.Span.StartLine);
    }

    [Fact]
    public void ShellFormCmdAndEntrypointKeepTheirText()
    {
        Assert.Equal("node server.js", BindOne<CmdInstruction>(Node("CMD", ["node server.js"])).Command.ShellText);
        Assert.Empty(BindOne<EntrypointInstruction>(Node("ENTRYPOINT", [], json: true)).Command.Arguments);
    }

    [Fact]
    public void EnvAndLabelKeepRawWordsAndTheLegacyMark()
    {
        var env = BindOne<EnvInstruction>(Node("ENV", ["A", "1", "=", "B", "\"x y\"", "="]));
        Assert.Equal([new KeyValue("A", "1", false), new KeyValue("B", "\"x y\"", false)], env.Variables);
        var legacy = BindOne<LabelInstruction>(Node("LABEL", ["maintainer", "me <me@example.org>", ""]));
        Assert.Equal(new KeyValue("maintainer", "me <me@example.org>", true), Assert.Single(legacy.Labels));
        Assert.Equal("ENV names can not be blank", BindFails(Node("ENV", ["", "x", "="])).Reason);
        Assert.Equal("LABEL requires at least one argument", BindFails(Node("LABEL", [])).Reason);
    }

    [Fact]
    public void SingleArgumentInstructions()
    {
        Assert.Equal("app:app", BindOne<UserInstruction>(Node("USER", ["app:app"])).User);
        Assert.Equal("/src", BindOne<WorkdirInstruction>(Node("WORKDIR", ["/src"])).Path);
        Assert.Equal("SIGTERM", BindOne<StopsignalInstruction>(Node("STOPSIGNAL", ["SIGTERM"])).Signal);
        Assert.Equal("me", BindOne<MaintainerInstruction>(Node("MAINTAINER", ["me"])).Maintainer);
        Assert.Equal("WORKDIR requires exactly one argument", BindFails(Node("WORKDIR", [])).Reason);
    }

    [Fact]
    public void ExposeAndVolumeTakeLists()
    {
        Assert.Equal(["80/tcp", "$PORT"], BindOne<ExposeInstruction>(Node("EXPOSE", ["80/tcp", "$PORT"])).Ports);
        Assert.Equal(["/data", "/logs"], BindOne<VolumeInstruction>(Node("VOLUME", ["/data", "/logs"], json: true)).Paths);
        Assert.Equal("VOLUME specified can not be an empty string", BindFails(Node("VOLUME", [" "], json: true)).Reason);
        Assert.Equal("EXPOSE requires at least one argument", BindFails(Node("EXPOSE", [])).Reason);
    }

    [Fact]
    public void ArgNamesCannotBeBlank() =>
        Assert.Equal("ARG names can not be blank", BindFails(Node("ARG", ["=x"])).Reason);

    [Fact]
    public void ShellNeedsJson()
    {
        Assert.Equal(["pwsh", "-c"], BindOne<ShellInstruction>(Node("SHELL", ["pwsh", "-c"], json: true)).Shell);
        Assert.StartsWith("SHELL requires the arguments to be in JSON form", BindFails(Node("SHELL", ["/bin/sh -c"])).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void OnbuildBindsItsTrigger()
    {
        var onbuild = BindOne<OnbuildInstruction>(Node("ONBUILD", ["RUN echo hi"], next: Node("RUN", ["echo hi"])) with { Original = "ONBUILD RUN echo hi" });
        Assert.Equal("echo hi", Assert.IsType<RunInstruction>(onbuild.Trigger).Command.ShellText);
        Assert.Equal("RUN echo hi", onbuild.Expression);
    }

    [Theory]
    [InlineData("ONBUILD", "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed")]
    [InlineData("FROM", "FROM isn't allowed as an ONBUILD trigger")]
    [InlineData("maintainer", "MAINTAINER isn't allowed as an ONBUILD trigger")]
    public void OnbuildRejectsSomeTriggers(string trigger, string expected) =>
        Assert.Equal(expected, BindFails(Node("ONBUILD", ["x"], next: Node(trigger, ["x"]))).Reason);

    [Fact]
    public void OnbuildTriggerErrorsSurface() =>
        Assert.Contains("unknown flag", BindFails(Node("ONBUILD", ["x"], next: Node("COPY", ["a", "b"], ["--bogus"]))).Reason, StringComparison.Ordinal);

    [Fact]
    public void HealthcheckNone()
    {
        var none = BindOne<HealthcheckInstruction>(Node("HEALTHCHECK", ["NONE"]));
        Assert.True(none.IsNone);
        Assert.Equal("HEALTHCHECK NONE takes no arguments", BindFails(Node("HEALTHCHECK", ["NONE", "x"])).Reason);
    }

    [Fact]
    public void HealthcheckCmdWithGoDurations()
    {
        var check = BindOne<HealthcheckInstruction>(Node(
            "HEALTHCHECK",
            ["CMD", "curl -f http://localhost/"],
            ["--interval=1m30s", "--timeout=500ms", "--start-period=0", "--start-interval=2s", "--retries=3"]));
        Assert.False(check.IsNone);
        Assert.Equal("curl -f http://localhost/", check.Command!.ShellText);
        Assert.Equal(TimeSpan.FromSeconds(90), check.Interval);
        Assert.Equal(TimeSpan.FromMilliseconds(500), check.Timeout);
        Assert.Null(check.StartPeriod);
        Assert.Equal(TimeSpan.FromSeconds(2), check.StartInterval);
        Assert.Equal(3, check.Retries);
    }

    [Theory]
    [InlineData("--interval=30", "invalid --interval \"30\"")]
    [InlineData("--timeout=10us", "Interval \"timeout\" cannot be less than 1ms")]
    [InlineData("--retries=-1", "--retries cannot be negative (-1)")]
    [InlineData("--retries=x", "invalid --retries value \"x\"")]
    public void HealthcheckRejectsBadOptions(string flag, string expected) =>
        Assert.StartsWith(expected, BindFails(Node("HEALTHCHECK", ["CMD", "true"], [flag])).Reason, StringComparison.Ordinal);

    [Fact]
    public void HealthcheckNeedsCmdAndACommand()
    {
        Assert.Equal("Unknown type \"RUN\" in HEALTHCHECK (try CMD)", BindFails(Node("HEALTHCHECK", ["RUN", "x"])).Reason);
        Assert.Equal("Missing command after HEALTHCHECK CMD", BindFails(Node("HEALTHCHECK", ["CMD"])).Reason);
    }
}
