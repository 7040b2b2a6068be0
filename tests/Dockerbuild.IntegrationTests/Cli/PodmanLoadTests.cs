using System.Text.Json;
using Dockerbuild.Testing;

namespace Dockerbuild.IntegrationTests.Cli;

/// <summary>
/// `podman load` is a reader of docker-archive tars independent of ours and of skopeo's code path
/// for the archive's own manifest.json (no docker daemon runs here, so podman stands in for
/// `docker load`). podman gets its own storage root so the machine's is never touched.
/// </summary>
public sealed class PodmanLoadTests
{
    [Fact]
    public async Task PodmanLoadsWhatSaveWrites()
    {
        var podman = Require.Executable("podman", "podman");
        using var cli = new DockerbuildProcess();
        var id = (await cli.RunAsync("import", "-c", "CMD [\"/bin/busybox\", \"echo\", \"hi\"]", "-c", "ENV GREETING=hello",
            await RootfsTarball.WriteAsync(cli.Home, "podman"), "example.test/podman/app:1")).Succeeded().Out.Trim();
        var archive = Path.Combine(cli.Home, "app.tar");
        (await cli.RunAsync("save", "-o", archive, "example.test/podman/app:1")).Succeeded();

        var storage = Path.Combine(cli.Home, "podman");
        string[] roots = ["--root", Path.Combine(storage, "root"), "--runroot", Path.Combine(storage, "run"), "--storage-driver", "vfs"];
        var load = await ExternalTool.OutputAsync(podman, [.. roots, "load", "-i", archive]);
        Assert.Contains("Loaded image: example.test/podman/app:1", load, StringComparison.Ordinal);

        using var inspect = JsonDocument.Parse(await ExternalTool.OutputAsync(podman, [.. roots, "image", "inspect", "example.test/podman/app:1"]));
        var image = inspect.RootElement[0];
        Assert.Equal(id, "sha256:" + image.GetProperty("Id").GetString());
        Assert.Equal(["/bin/busybox", "echo", "hi"], image.GetProperty("Config").GetProperty("Cmd").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains("GREETING=hello", image.GetProperty("Config").GetProperty("Env").EnumerateArray().Select(e => e.GetString()));

        await ExternalTool.OutputAsync(podman, [.. roots, "rmi", "-a", "-f"]);
    }
}
