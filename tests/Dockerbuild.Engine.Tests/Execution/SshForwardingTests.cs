using System.Diagnostics;
using Dockerbuild.Engine.Planning;
using Dockerbuild.Testing;

namespace Dockerbuild.Engine.Tests.Execution;

/// <summary>
/// <c>--ssh</c> and <c>RUN --mount=type=ssh</c> with a real ssh-agent holding a real key: the RUN lists
/// the key through the forwarded socket with the real ssh-add (bound in from a named context with its
/// libraries). BuildKit's expectations (dockerfile2llb dispatchSSH, llb's sshforward): the socket is
/// at /run/buildkit/ssh_agent.N unless target= is given, SSH_AUTH_SOCK names the first one, the
/// socket has mode 0600 and owner 0:0 unless mode/uid/gid say otherwise, and nothing of it stays in
/// the layer.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class SshForwardingTests
{
    [Fact]
    public async Task AForwardedAgentAnswersTheRunThroughASocketWithTheMountsModeAndOwner()
    {
        using var f = await BuildFixture.CreateAsync();
        using var temp = new TempDirectory("dbssh-"); // a Unix socket path must stay under 108 bytes
        await using var agent = await SshAgent.StartAsync(temp.Path);
        var tools = await SshTools.SshAddDirectoryAsync(temp.Combine("tools"));

        var result = await f.BuildAsync("""
            FROM busybox:test
            RUN --mount=type=bind,from=tools,target=/t --mount=type=ssh \
                echo "$SSH_AUTH_SOCK" > /sock && ls -ln /run/buildkit/ssh_agent.0 > /default && /t/ld.so --library-path /t /t/ssh-add -l > /keys
            RUN --mount=type=ssh,id=work,target=/agent,uid=1000,gid=1001,mode=0660 ls -ln /agent > /work
            """, r => r with
        {
            Ssh = [new BuildSshAgent("default", agent.Socket), new BuildSshAgent("work", agent.Socket)],
            NamedContexts = new Dictionary<string, string> { ["tools"] = tools },
        });

        var rootfs = await f.ExtractAsync(result);
        string Read(string name) => File.ReadAllText(Path.Combine(rootfs, name));
        Assert.Equal("/run/buildkit/ssh_agent.0\n", Read("sock"));
        Assert.Matches(@"^srw------- +1 0 +0 ", Read("default"));
        Assert.Contains("dockerbuild-test-key (ED25519)", Read("keys"), StringComparison.Ordinal);
        Assert.Matches(@"^srw-rw---- +1 1000 +1001 ", Read("work"));
        Assert.False(Directory.Exists(Path.Combine(rootfs, "run", "buildkit")));
        Assert.False(File.Exists(Path.Combine(rootfs, "agent")));
    }

    [Fact]
    public void SshSpecsParseLikeBuildx()
    {
        using var temp = new TempDirectory("dbssh-");
        var socket = temp.Combine("s.sock");
        using var listener = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified);
        listener.Bind(new System.Net.Sockets.UnixDomainSocketEndPoint(socket));

        Assert.Equal(new BuildSshAgent("default", socket), BuildSshAgent.Parse("default", n => n == "SSH_AUTH_SOCK" ? socket : null));
        Assert.Equal(new BuildSshAgent("git", socket), BuildSshAgent.Parse("git=" + socket, _ => null));
        Assert.Equal(
            "invalid empty ssh agent socket: make sure SSH_AUTH_SOCK is set",
            Assert.Throws<BuildException>(() => BuildSshAgent.Parse("default", _ => null)).Message);
        var key = temp.Combine("id_ed25519");
        File.WriteAllText(key, "a key file");
        var keys = BuildSshAgent.Parse($"git={key},{key}", _ => null);
        Assert.Equal(("git", ""), (keys.Id, keys.Socket));
        Assert.Equal([key, key], keys.KeyFiles);
        Assert.Contains("is neither an ssh agent socket nor a private key file", Assert.Throws<BuildException>(() => BuildSshAgent.Parse("git=" + temp.Combine("missing"), _ => null)).Message, StringComparison.Ordinal);
        Assert.Contains("cannot be mixed with key files", Assert.Throws<BuildException>(() => BuildSshAgent.Parse($"git={key},{socket}", _ => null)).Message, StringComparison.Ordinal);
    }

    /// <summary>buildx serves --ssh key files from an agent of its own; so does the build, with OpenSSH's agent.</summary>
    [Fact]
    public async Task KeyFilesAreServedByAnAgentOfTheBuildsOwn()
    {
        using var f = await BuildFixture.CreateAsync();
        using var temp = new TempDirectory("dbssh-");
        var key = await SshTools.KeyAsync(temp.Path, "served-from-a-file");
        var tools = await SshTools.SshAddDirectoryAsync(temp.Combine("tools"));
        var started = new List<Dockerbuild.Engine.Runtime.SshKeyAgent>();
        try
        {
            var agents = await Dockerbuild.Engine.Runtime.SshKeyAgent.ServeKeysAsync([BuildSshAgent.Parse("default=" + key, _ => null)], started, TestContext.Current.CancellationToken);
            var result = await f.BuildAsync(
                "FROM busybox:test\nRUN --mount=type=bind,from=tools,target=/t --mount=type=ssh /t/ld.so --library-path /t /t/ssh-add -l > /keys\n",
                r => r with { Ssh = agents, NamedContexts = new Dictionary<string, string> { ["tools"] = tools } });

            var rootfs = await f.ExtractAsync(result);
            Assert.Contains("served-from-a-file (ED25519)", File.ReadAllText(Path.Combine(rootfs, "keys")), StringComparison.Ordinal);
        }
        finally
        {
            foreach (var agent in started)
            {
                await agent.DisposeAsync();
            }
        }

        Assert.All(started, a => Assert.False(File.Exists(a.Socket)));
    }

    [Fact]
    public async Task AKeyWithAPassphraseIsOneErrorInsteadOfAPrompt()
    {
        using var temp = new TempDirectory("dbssh-");
        var key = await SshTools.KeyAsync(temp.Path, "locked", passphrase: "secret phrase");
        var started = new List<Dockerbuild.Engine.Runtime.SshKeyAgent>();

        var error = await Assert.ThrowsAsync<BuildException>(() => Dockerbuild.Engine.Runtime.SshKeyAgent.ServeKeysAsync([BuildSshAgent.Parse("default=" + key, _ => null)], started, TestContext.Current.CancellationToken));

        Assert.StartsWith($"ssh: cannot load the key {key}", error.Message, StringComparison.Ordinal);
        Assert.Empty(started);
    }

    /// <summary>A real ssh-agent in the foreground on its own socket, holding one new ed25519 key.</summary>
    private sealed class SshAgent(Process process, string socket) : IAsyncDisposable
    {
        public string Socket => socket;

        public static async Task<SshAgent> StartAsync(string directory)
        {
            var key = await SshTools.KeyAsync(directory, "dockerbuild-test-key");
            var socket = Path.Combine(directory, "agent.sock");
            var process = Process.Start(new ProcessStartInfo(Require.Executable("ssh-agent", "openssh-client"), ["-D", "-a", socket]) { RedirectStandardOutput = true })!;
            var agent = new SshAgent(process, socket);
            for (var i = 0; i < 200 && !File.Exists(socket); i++)
            {
                await Task.Delay(25, TestContext.Current.CancellationToken);
            }

            var add = new ProcessStartInfo(Require.Executable("ssh-add", "openssh-client"), ["-q", key]) { RedirectStandardError = true, Environment = { ["SSH_AUTH_SOCK"] = socket } };
            using var adding = Process.Start(add)!;
            await adding.WaitForExitAsync(TestContext.Current.CancellationToken);
            Assert.True(adding.ExitCode == 0, await adding.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken));
            return agent;
        }

        public async ValueTask DisposeAsync()
        {
            process.Kill();
            await process.WaitForExitAsync();
            process.Dispose();
        }
    }
}
