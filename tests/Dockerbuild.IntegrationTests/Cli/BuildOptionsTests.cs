using System.Formats.Tar;
using System.Text.Json.Nodes;
using Dockerbuild.Testing.Registry;

namespace Dockerbuild.IntegrationTests.Cli;

/// <summary>
/// buildx's options through the executable, in one build: -f outside the context, --build-context
/// NAME=docker-image://REF and NAME=PATH, --secret id=..,src=.. and id=..,env=.., --push to a real
/// registry and --output type=docker,dest=FILE beside it; the log shows no secret. skopeo reads back
/// what was pushed.
/// </summary>
public sealed class BuildOptionsTests
{
    [Fact]
    public async Task FileNamedContextsSecretsPushAndADockerArchiveReachOneBuild()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var registry = await RegistryServer.StartAsync(cancellationToken: ct);
        using var cli = new DockerbuildProcess();
        var baseContext = await BusyboxContext.CreateAsync(cli.Home, BusyboxContext.Base + "RUN echo base > /base\n", "base-context");
        (await cli.RunAsync("build", "-q", "-t", "built-base:1", baseContext)).Succeeded();

        var main = Directory.CreateDirectory(Path.Combine(cli.Home, "main")).FullName;
        var extra = Directory.CreateDirectory(Path.Combine(cli.Home, "extra")).FullName;
        await File.WriteAllTextAsync(Path.Combine(extra, "extra.txt"), "extra\n", ct);
        var secretFile = Path.Combine(cli.Home, "token");
        await File.WriteAllTextAsync(secretFile, "s3cr3t-file", ct);
        cli.Environment["MY_SECRET"] = "s3cr3t-env";
        var dockerfile = Path.Combine(cli.Home, "dockerfiles", "App.Dockerfile");
        Directory.CreateDirectory(Path.GetDirectoryName(dockerfile)!);
        await File.WriteAllTextAsync(dockerfile, """
            FROM base
            COPY --from=extra extra.txt /extra.txt
            RUN --mount=type=secret,id=tok --mount=type=secret,id=envtok,env=TOKEN /bin/busybox wc -c < /run/secrets/tok > /file-len && echo ${#TOKEN} > /env-len
            """, ct);
        var tag = $"{registry.Host}/options/app:1";
        var archive = Path.Combine(cli.Home, "app.tar");

        var build = (await cli.RunAsync(
            "build", "--progress", "plain", "-f", dockerfile,
            "--build-context", "base=docker-image://built-base:1", "--build-context", $"extra={extra}",
            "--secret", $"id=tok,src={secretFile}", "--secret", "id=envtok,env=MY_SECRET",
            "-t", tag, "--push", "--output", $"type=docker,dest={archive}", main)).Succeeded();
        Assert.Contains(" [2/3] COPY --from=extra extra.txt /extra.txt", build.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t", build.Out + build.Err, StringComparison.Ordinal); // secrets never in the log

        var files = (await cli.RunAsync("run", "--rm", tag, "/bin/busybox", "cat", "/base", "/extra.txt", "/file-len", "/env-len")).Succeeded();
        Assert.Equal(["base", "extra", "11", "10"], files.Lines.Select(l => l.Trim()));

        var remote = await SkopeoTool.InspectAsync("--tls-verify=false", $"docker://{tag}");
        Assert.Equal(5, remote.GetProperty("Layers").GetArrayLength()); // the base's three (two COPYs, a RUN), then COPY and RUN
        var inspect = JsonNode.Parse((await cli.RunAsync("image", "inspect", tag)).Succeeded().Out)![0]!;
        Assert.Equal(inspect["RootFS"]!["Layers"]!.AsArray().Count, remote.GetProperty("Layers").GetArrayLength());

        // docker-archive: manifest.json names the tag (docker load's RepoTags).
        await using var stream = File.OpenRead(archive);
        await using var tar = new TarReader(stream);
        JsonNode? manifest = null;
        while (await tar.GetNextEntryAsync(copyData: true, ct) is { } entry)
        {
            if (entry.Name == "manifest.json")
            {
                manifest = await JsonNode.ParseAsync(entry.DataStream!, cancellationToken: ct);
            }
        }

        Assert.Equal(tag, (string?)manifest![0]!["RepoTags"]![0]);
    }

    /// <summary>--ssh default=KEY: the key is served to the RUN by an agent of the build's own.</summary>
    [Fact]
    public async Task SshKeyFilesAreServedToTheRunThroughTheExecutable()
    {
        using var cli = new DockerbuildProcess();
        var context = await BusyboxContext.CreateAsync(cli.Home, BusyboxContext.Base + "RUN --mount=type=bind,from=tools,target=/t --mount=type=ssh /t/ld.so --library-path /t /t/ssh-add -l > /keys\n");
        var key = await Dockerbuild.Testing.SshTools.KeyAsync(cli.Home, "cli-key");
        var tools = await Dockerbuild.Testing.SshTools.SshAddDirectoryAsync(Path.Combine(cli.Home, "tools"));

        (await cli.RunAsync("build", "-q", "-t", "ssh:1", "--ssh", $"default={key}", "--build-context", $"tools={tools}", context)).Succeeded();

        var keys = (await cli.RunAsync("run", "--rm", "ssh:1", "/bin/busybox", "cat", "/keys")).Succeeded();
        Assert.Contains("cli-key (ED25519)", keys.Out, StringComparison.Ordinal);
    }
}
