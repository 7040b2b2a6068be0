using System.Formats.Tar;
using Dockerbuild.Testing;

namespace Dockerbuild.IntegrationTests.Cli;

/// <summary>
/// "Works as root, and rootless through user namespaces": the executable run by an unprivileged user
/// (nobody, through setpriv, when the suite runs as root; the suite's own user otherwise) inside
/// `unshare --user --map-root-user --mount`, as rootlesskit would start it. RUN, COPY --chown, a
/// whiteout and the cache all have to work there, with the layers BuildKit would write.
/// </summary>
public sealed class RootlessBuildTests
{
    private const int Nobody = 65534;

    [Fact]
    public async Task AnUnprivilegedUserBuildsInAUserNamespaceAndTheCacheWorksThere()
    {
        using var cli = new DockerbuildProcess();
        var context = await BusyboxContext.CreateAsync(cli.Home, BusyboxContext.Base + """
            COPY etc/ /etc/
            RUN /bin/busybox id -u > /uid && /bin/busybox rm /etc/gone
            COPY --chown=app:app data.txt /data/
            """);
        Directory.CreateDirectory(Path.Combine(context, "etc"));
        await File.WriteAllTextAsync(Path.Combine(context, "etc", "passwd"), "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000::/home/app:/bin/sh\n", TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(Path.Combine(context, "etc", "group"), "root:x:0:\napp:x:1001:\n", TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(Path.Combine(context, "etc", "gone"), "deleted by the RUN", TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(Path.Combine(context, "data.txt"), "data", TestContext.Current.CancellationToken);
        var unshare = Require.Executable("unshare", "util-linux");
        string[] inNamespace = [unshare, "--user", "--map-root-user", "--mount"];
        if (Environment.UserName == "root")
        {
            foreach (var path in Directory.EnumerateFileSystemEntries(cli.Home, "*", SearchOption.AllDirectories).Prepend(cli.Home))
            {
                Dockerbuild.Oci.Unix.UnixFiles.LChown(path, Nobody, Nobody);
            }

            cli.Launcher = [Require.Executable("setpriv", "util-linux"), "--reuid", "65534", "--regid", "65534", "--clear-groups", .. inNamespace];
        }
        else
        {
            cli.Launcher = inNamespace;
        }

        var layout = Path.Combine(cli.Home, "layout");
        var built = await cli.RunAsync("build", "--progress", "plain", "-t", "rootless:1", "--output", $"type=oci,dest={layout}", context);
        Assert.True(built.ExitCode == 0, built.Err);

        var image = await LayoutImage.ReadAsync(layout);
        Assert.Equal(5, image.Layers.Count);
        var run = image.Layers[3].Select(e => e.ToString()).ToList();
        // "0\n": the RUN is root of its namespace. No /etc/hosts or /etc/resolv.conf stubs; the /dev, /proc
        // and /sys the runtime makes on a base without them stay, as BuildKit's MountStubsCleaner only
        // removes those two files and the RUN's own mount targets.
        Assert.Equal(
            ["dev Directory 755 0:0", "etc Directory 755 0:0", "etc/.wh.gone RegularFile 0 0:0 (0)", "proc Directory 755 0:0", "sys Directory 755 0:0", "uid RegularFile 644 0:0 (2)"],
            run.Order(StringComparer.Ordinal));
        Assert.Equal(["data Directory 755 1000:1001", "data/data.txt RegularFile 644 1000:1001 (4)"], image.Layers[4].Select(e => e.ToString()));

        var again = await cli.RunAsync("build", "--progress", "plain", "-t", "rootless:1", context);
        Assert.True(again.ExitCode == 0, again.Err);
        Assert.Equal(5, again.Err.Split('\n').Count(l => l.EndsWith(" CACHED", StringComparison.Ordinal)));
    }
}
