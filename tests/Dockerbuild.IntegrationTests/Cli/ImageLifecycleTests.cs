using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dockerbuild.Testing.Registry;

namespace Dockerbuild.IntegrationTests.Cli;

/// <summary>
/// The "done when", through the real executable: import a rootfs, tag, log in to an htpasswd
/// registry, push, remove, pull back, list and inspect, save and load into a fresh store; skopeo reads
/// back what was pushed and saved.
/// </summary>
public sealed class ImageLifecycleTests
{
    [Fact]
    public async Task ImportTagLoginPushRemovePullSaveLoadRoundTrip()
    {
        await using var registry = await RegistryServer.StartAsync(new RegistryServerOptions { Auth = RegistryAuthMode.Htpasswd }, TestContext.Current.CancellationToken);
        using var cli = new DockerbuildProcess();
        var tarball = await RootfsTarball.WriteAsync(cli.Home);
        var repository = $"{registry.Host}/test/busybox";

        var imported = (await cli.RunAsync("import", "-c", "CMD [\"/bin/sh\"]", "-c", "ENV GREETING=hello", "-m", "from the lifecycle test", tarball, "imported:v1")).Succeeded();
        var id = imported.Out.Trim();
        Assert.Matches("^sha256:[0-9a-f]{64}$", id);
        (await cli.RunAsync("tag", "imported:v1", repository + ":1.0")).Succeeded();
        (await cli.RunAsync("tag", id[7..19], repository)).Succeeded();

        var anonymous = await cli.RunAsync("push", repository + ":1.0");
        Assert.NotEqual(0, anonymous.ExitCode);
        Assert.Single(anonymous.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));

        var login = (await cli.RunAsync(Encoding.UTF8.GetBytes(registry.Password + "\n"), "login", "-u", registry.Username, "--password-stdin", registry.Host)).Succeeded();
        Assert.Contains("Login Succeeded", login.Out);
        Assert.DoesNotContain(registry.Password, login.Out + login.Err);
        Assert.NotNull(JsonNode.Parse(await File.ReadAllTextAsync(cli.ConfigJson, TestContext.Current.CancellationToken))!["auths"]![registry.Host]!["auth"]);

        // No tag: every local tag of the repository goes up.
        var push = (await cli.RunAsync("push", repository)).Succeeded();
        Assert.Contains($"The push refers to repository [{repository}]", push.Out);
        var pushedLines = push.Lines.Where(l => l.Contains(": digest: sha256:", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, pushedLines.Count);
        Assert.StartsWith("1.0: digest: ", pushedLines[0]);
        Assert.StartsWith("latest: digest: ", pushedLines[1]);
        var pushedDigest = pushedLines[0].Split(' ')[2];
        Assert.Contains(push.Lines, l => l.EndsWith(": Pushed", StringComparison.Ordinal));

        var creds = $"{registry.Username}:{registry.Password}";
        var remote = await SkopeoTool.InspectAsync("--tls-verify=false", "--creds", creds, $"docker://{repository}:1.0");
        Assert.Equal(pushedDigest, remote.GetProperty("Digest").GetString());
        Assert.Single(remote.GetProperty("Layers").EnumerateArray());
        var remoteConfig = await SkopeoTool.InspectAsync("--tls-verify=false", "--creds", creds, "--config", $"docker://{repository}:latest");
        Assert.Equal("/bin/sh", remoteConfig.GetProperty("config").GetProperty("Cmd")[0].GetString());
        Assert.Contains("GREETING=hello", remoteConfig.GetProperty("config").GetProperty("Env").EnumerateArray().Select(e => e.GetString()));

        var search = (await cli.RunAsync("search", registry.Host + "/busy")).Succeeded();
        Assert.Contains(search.Lines.Skip(1), l => l.StartsWith(repository + " ", StringComparison.Ordinal) || l == repository);

        var rmi = (await cli.RunAsync("rmi", repository + ":1.0", repository + ":latest", "imported:v1")).Succeeded();
        Assert.Contains($"Untagged: {repository}:1.0", rmi.Lines);
        Assert.Contains($"Deleted: {id}", rmi.Lines);
        Assert.Empty((await cli.RunAsync("images", "-q")).Succeeded().Lines);

        var pull = (await cli.RunAsync("pull", repository + ":1.0")).Succeeded();
        Assert.Contains($"Digest: {pushedDigest}", pull.Lines);
        Assert.Contains($"Status: Downloaded newer image for {repository}:1.0", pull.Lines);
        Assert.Equal($"{repository}:1.0", pull.Lines[^1]);
        Assert.Contains(pull.Lines, l => l.EndsWith(": Pull complete", StringComparison.Ordinal));
        var again = (await cli.RunAsync("pull", repository + ":1.0")).Succeeded();
        Assert.Contains($"Status: Image is up to date for {repository}:1.0", again.Lines);

        var images = (await cli.RunAsync("images", "--digests")).Succeeded();
        Assert.Equal(["REPOSITORY", "TAG", "DIGEST", "IMAGE", "ID", "CREATED", "SIZE"], images.Lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        var row = images.Lines[1].Split("   ", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal([repository, "1.0", pushedDigest, id[7..19]], row[..4]);

        using (var inspect = JsonDocument.Parse((await cli.RunAsync("inspect", repository + ":1.0")).Succeeded().Out))
        {
            var image = Assert.Single(inspect.RootElement.EnumerateArray());
            Assert.Equal(id, image.GetProperty("Id").GetString());
            Assert.Equal([$"{repository}:1.0"], image.GetProperty("RepoTags").EnumerateArray().Select(e => e.GetString()));
            Assert.Equal([$"{repository}@{pushedDigest}"], image.GetProperty("RepoDigests").EnumerateArray().Select(e => e.GetString()));
            Assert.Equal("from the lifecycle test", image.GetProperty("Comment").GetString());
            Assert.Equal("/bin/sh", image.GetProperty("Config").GetProperty("Cmd")[0].GetString());
        }

        var history = (await cli.RunAsync("history", repository + ":1.0")).Succeeded();
        Assert.Equal(2, history.Lines.Length);
        Assert.StartsWith(id[7..19] + "   ", history.Lines[1]);
        Assert.EndsWith("from the lifecycle test", history.Lines[1]);

        var archive = Path.Combine(cli.Home, "saved.tar");
        (await cli.RunAsync("save", "-o", archive, repository + ":1.0")).Succeeded();
        var saved = await SkopeoTool.InspectAsync("--config", $"docker-archive:{archive}");
        var diffIds = saved.GetProperty("rootfs").GetProperty("diff_ids").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Equal(remoteConfig.GetProperty("rootfs").GetProperty("diff_ids").EnumerateArray().Select(e => e.GetString()), diffIds);
        // skopeo finds the image in the archive by the tag docker load would give it.
        var byTag = await SkopeoTool.InspectAsync($"docker-archive:{archive}:{repository}:1.0");
        Assert.Equal("linux", byTag.GetProperty("Os").GetString());

        cli.Root = Path.Combine(cli.Home, "fresh-store");
        var load = (await cli.RunAsync("load", "-i", archive)).Succeeded();
        Assert.Equal([$"Loaded image: {repository}:1.0"], load.Lines);
        Assert.Equal([id[7..19]], (await cli.RunAsync("images", "-q")).Succeeded().Lines);

        // The same archive gzip-compressed, through stdin, into a third store.
        cli.Root = Path.Combine(cli.Home, "stdin-store");
        using var compressed = new MemoryStream();
        await using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        await using (var file = File.OpenRead(archive))
        {
            await file.CopyToAsync(gzip, TestContext.Current.CancellationToken);
        }

        var fromStdin = (await cli.RunAsync(compressed.ToArray(), "load")).Succeeded();
        Assert.Equal([$"Loaded image: {repository}:1.0"], fromStdin.Lines);

        var logout = (await cli.RunAsync("logout", registry.Host)).Succeeded();
        Assert.Equal([$"Removing login credentials for {registry.Host}"], logout.Lines);
        Assert.Null(JsonNode.Parse(await File.ReadAllTextAsync(cli.ConfigJson, TestContext.Current.CancellationToken))!["auths"]![registry.Host]);
        Assert.Equal([$"Not logged in to {registry.Host}"], (await cli.RunAsync("logout", registry.Host)).Succeeded().Lines);
    }
}
