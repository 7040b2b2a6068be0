using Dockerbuild.Oci.Unix;
using Dockerbuild.Engine.Runtime;
using Dockerbuild.Testing;

namespace Dockerbuild.Engine.Tests.Runtime;

/// <summary>
/// Rootless mode, checked from this root test process by running runc as an unprivileged user
/// (nobody, through setpriv) on files that user owns, with pipes that user created: what a non-root
/// dockerbuild process would have. The runtime itself is told to be rootless with that user's ids.
/// </summary>
public sealed class RootlessRuntimeTests : IDisposable
{
    private const uint Nobody = 65534;

    private readonly TempDirectory root = new("dockerbuild-rootless-");

    public void Dispose() => root.Dispose();

    [Theory]
    [InlineData(NetworkMode.None, "lo")]
    [InlineData(NetworkMode.Host, null)]
    public async Task RunsAsRootOfAUserNamespaceMappedToTheCaller(NetworkMode network, string? onlyInterface)
    {
        if (!HostEnvironment.IsRoot)
        {
            Assert.Skip("Impersonating an unprivileged user needs root.");
        }

        var runc = Require.Executable("runc", "runc");
        var setpriv = Require.Executable("setpriv", "util-linux");
        var bash = Require.Executable("bash", "bash");
        UnixFiles.Chmod(root.Path, 0b111_101_101); // temp directories are private to their owner
        var rootfs = BusyboxRootfs.Create(root.Combine("rootfs"));
        var state = Directory.CreateDirectory(root.Combine("state")).FullName;
        var wrapper = root.Combine("runc-as-nobody");
        await File.WriteAllTextAsync(
            wrapper,
            $"""
            #!{bash}
            chown -R {Nobody}:{Nobody} '{state}' '{rootfs}'
            exec {setpriv} --reuid={Nobody} --regid={Nobody} --clear-groups {bash} -c 'set -o pipefail; {runc} "$@" < /dev/null 2> >(cat >&2) | cat' runc "$@"
            """,
            TestContext.Current.CancellationToken);
        UnixFiles.Chmod(wrapper, 0b111_101_101);
        var runtime = new RuncRuntime(new RuncRuntimeOptions
        {
            Binary = wrapper,
            StateRoot = state,
            Rootless = true,
            IdMappings = [new IdMapping(0, Nobody, 0, Nobody, 1)],
        });
        var lines = new List<string>();

        var result = await runtime.RunAsync(
            new ContainerSpec
            {
                RootfsPath = rootfs,
                Args = ["/bin/sh", "-c", "id -u; cat /proc/self/uid_map | tr -s ' ' | sed 's/^ //'; tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' ' | sort | tr '\\n' ' '; echo; touch /made-here && echo wrote"],
                Env = ["PATH=/bin"],
                Network = network,
            },
            line =>
            {
                lines.Add(line.Text);
                return ValueTask.CompletedTask;
            },
            TestContext.Current.CancellationToken);

        Assert.True(result.ExitCode == 0, string.Join('\n', lines));
        Assert.Equal("0", lines[0]);
        Assert.Equal($"0 {Nobody} 1", lines[1]);
        if (onlyInterface is not null)
        {
            Assert.Equal(onlyInterface, lines[2].Trim());
        }
        else
        {
            Assert.Contains("lo", lines[2].Split(' '));
            Assert.True(lines[2].Split(' ', StringSplitOptions.RemoveEmptyEntries).Length > 1, "the host's interfaces are visible");
        }

        Assert.Equal("wrote", lines[3]);
        Assert.Equal((int)Nobody, UnixFiles.LStat(Path.Combine(rootfs, "made-here")).Uid);
        Assert.False(File.Exists(Path.Combine(rootfs, "etc", "hosts")), "the /etc/hosts stub is removed");
    }
}
