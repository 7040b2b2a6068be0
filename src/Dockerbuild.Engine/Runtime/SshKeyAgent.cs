using System.Diagnostics;
using System.Net.Sockets;
using Dockerbuild.Engine.Planning;

namespace Dockerbuild.Engine.Runtime;

/// <summary>
/// An ssh-agent of the build's own, holding the private keys of a <c>--ssh ID=KEY[,KEY]</c>, as buildx
/// serves key files from an agent it runs itself. OpenSSH's agent and ssh-add load the keys, so every
/// key format OpenSSH reads works, and a key that needs a passphrase fails instead of prompting.
/// </summary>
public sealed class SshKeyAgent : IAsyncDisposable
{
    private readonly Process process;
    private readonly string directory;

    private SshKeyAgent(Process process, string directory)
    {
        this.process = process;
        this.directory = directory;
    }

    /// <summary>The agent's socket, private to this process's user.</summary>
    public string Socket => Path.Combine(directory, "agent.sock");

    /// <summary>
    /// Serves the key files of each <c>--ssh</c> that has them from an agent of its own; the agents
    /// started are added to <paramref name="started"/>, for the caller to dispose when the build ends.
    /// </summary>
    public static async Task<IReadOnlyList<BuildSshAgent>> ServeKeysAsync(IReadOnlyList<BuildSshAgent> agents, ICollection<SshKeyAgent> started, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agents);
        ArgumentNullException.ThrowIfNull(started);
        var served = new List<BuildSshAgent>();
        foreach (var agent in agents)
        {
            if (agent.KeyFiles.Count == 0)
            {
                served.Add(agent);
                continue;
            }

            var keys = await StartAsync(agent.KeyFiles, cancellationToken).ConfigureAwait(false);
            started.Add(keys);
            served.Add(agent with { Socket = keys.Socket, KeyFiles = [] });
        }

        return served;
    }

    public static async Task<SshKeyAgent> StartAsync(IReadOnlyList<string> keyFiles, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keyFiles);
        var sshAgent = HostBinaries.Find("ssh-agent");
        var sshAdd = HostBinaries.Find("ssh-add");
        if (sshAgent is null || sshAdd is null)
        {
            throw new BuildException("--ssh with key files needs ssh-agent and ssh-add (Debian package openssh-client); or pass an agent socket");
        }

        var directory = Directory.CreateTempSubdirectory("dockerbuild-ssh-keys-").FullName;
        var start = new ProcessStartInfo(sshAgent, ["-D", "-a", Path.Combine(directory, "agent.sock")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var agent = new SshKeyAgent(Process.Start(start)!, directory);
        try
        {
            await agent.WaitForSocketAsync(cancellationToken).ConfigureAwait(false);
            foreach (var key in keyFiles)
            {
                await agent.AddAsync(sshAdd, key, cancellationToken).ConfigureAwait(false);
            }

            return agent;
        }
        catch
        {
            await agent.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Until the agent accepts a connection: its socket file appears at bind(), before listen(), and a
    /// client connecting in between is refused.
    /// </summary>
    private async Task WaitForSocketAsync(CancellationToken cancellationToken)
    {
        for (var waited = 0; !await AcceptsAsync(cancellationToken).ConfigureAwait(false); waited += 20)
        {
            if (process.HasExited || waited >= 10_000)
            {
                var error = process.HasExited ? await process.StandardError.ReadToEndAsync(cancellationToken).ConfigureAwait(false) : "no socket after 10 s";
                throw new BuildException($"ssh-agent did not start: {error.Trim()}");
            }

            await Task.Delay(20, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<bool> AcceptsAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(Socket))
        {
            return false;
        }

        using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await probe.ConnectAsync(new UnixDomainSocketEndPoint(Socket), cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private async Task AddAsync(string sshAdd, string key, CancellationToken cancellationToken)
    {
        // No terminal and no askpass: a key with a passphrase fails rather than waiting for one.
        var start = new ProcessStartInfo(sshAdd, ["-q", key])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["SSH_AUTH_SOCK"] = Socket, ["SSH_ASKPASS_REQUIRE"] = "never" },
        };
        start.Environment.Remove("DISPLAY");
        start.Environment.Remove("SSH_ASKPASS");
        using var adding = Process.Start(start)!;
        adding.StandardInput.Close();
        var error = adding.StandardError.ReadToEndAsync(cancellationToken);
        await adding.StandardOutput.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        await adding.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        if (adding.ExitCode != 0)
        {
            throw new BuildException($"ssh: cannot load the key {key}: {(await error.ConfigureAwait(false)).Trim()}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill();
        }

        await process.WaitForExitAsync().ConfigureAwait(false);
        process.Dispose();
        Directory.Delete(directory, recursive: true);
    }
}
