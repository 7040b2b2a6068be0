using System.Net.Sockets;
using Dockerbuild.Oci.Unix;

namespace Dockerbuild.Engine.Execution;

/// <summary>
/// The socket a <c>RUN --mount=type=ssh</c> sees: a socket of its own, with the mount's mode and owner
/// as BuildKit's sshforward makes it (0600, 0:0 unless given), whose connections are relayed to the
/// forwarded agent. Binding the agent's socket itself would give the container the host's owner and
/// mode, which a RUN as another user could not open. Lives for one RUN.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
internal sealed class SshAgentProxy : IAsyncDisposable
{
    private readonly Socket listener;
    private readonly string directory;
    private readonly string agentSocket;
    private readonly CancellationTokenSource stop = new();
    private readonly List<Socket> open = [];
    private readonly Task accepting;

    private SshAgentProxy(Socket listener, string directory, string agentSocket)
    {
        this.listener = listener;
        this.directory = directory;
        this.agentSocket = agentSocket;
        accepting = AcceptAsync();
    }

    /// <summary>The socket to bind into the container.</summary>
    public string SocketPath => Path.Combine(directory, "agent.sock");

    /// <summary>
    /// Listens in a new private directory under the system temp directory: a Unix socket path must fit
    /// in 108 bytes, which a path under the store might not.
    /// </summary>
    public static SshAgentProxy Start(string agentSocket, uint? mode, uint? uid, uint? gid)
    {
        var directory = Directory.CreateTempSubdirectory("dockerbuild-ssh-").FullName;
        var path = Path.Combine(directory, "agent.sock");
        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            listener.Bind(new UnixDomainSocketEndPoint(path));
            listener.Listen(16);
            UnixFiles.Chmod(path, (int)(mode ?? 0b110_000_000));
            if (uid is not null || gid is not null)
            {
                // Only when asked, as secrets: a rootless build cannot chown to ids it does not map.
                UnixFiles.LChown(path, (int)(uid ?? 0), (int)(gid ?? 0));
            }
        }
        catch
        {
            listener.Dispose();
            Directory.Delete(directory, recursive: true);
            throw;
        }

        return new SshAgentProxy(listener, directory, agentSocket);
    }

    private async Task AcceptAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync(stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = RelayAsync(client);
        }
    }

    /// <summary>One client connection, relayed both ways; each side's end of input is passed on as a shutdown.</summary>
    private async Task RelayAsync(Socket client)
    {
        var agent = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        lock (open)
        {
            open.Add(client);
            open.Add(agent);
        }

        try
        {
            await agent.ConnectAsync(new UnixDomainSocketEndPoint(agentSocket), stop.Token).ConfigureAwait(false);
            await using var fromClient = new NetworkStream(client, ownsSocket: false);
            await using var toAgent = new NetworkStream(agent, ownsSocket: false);
            await Task.WhenAll(Pump(fromClient, toAgent, agent), Pump(toAgent, fromClient, client)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
        {
            // The RUN sees its connection closed, as with an agent that went away.
        }
        finally
        {
            lock (open)
            {
                open.Remove(client);
                open.Remove(agent);
            }

            client.Dispose();
            agent.Dispose();
        }
    }

    private async Task Pump(NetworkStream from, NetworkStream to, Socket toSocket)
    {
        try
        {
            await from.CopyToAsync(to, stop.Token).ConfigureAwait(false);
            toSocket.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync().ConfigureAwait(false);
        listener.Dispose();
        lock (open)
        {
            foreach (var socket in open)
            {
                socket.Dispose();
            }
        }

        await accepting.ConfigureAwait(false);
        stop.Dispose();
        Directory.Delete(directory, recursive: true);
    }
}
