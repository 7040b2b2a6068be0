namespace Dockerbuild.Engine.Planning;

/// <summary>
/// A <c>--ssh default|ID[=SOCKET]</c>: an ssh agent socket forwarded to <c>RUN --mount=type=ssh,id=ID</c>.
/// </summary>
/// <param name="Id">What the mount's id= names (<c>default</c> when it names none).</param>
/// <param name="Socket">The agent's Unix socket on this machine.</param>
public sealed record BuildSshAgent(string Id, string Socket)
{
    /// <summary>
    /// Parses buildx's form: an id alone takes <c>$SSH_AUTH_SOCK</c>. buildx also takes private key
    /// files and serves them from an agent of its own; here only agent sockets are forwarded, so a
    /// path that is not a socket is refused with what to do instead.
    /// </summary>
    public static BuildSshAgent Parse(string spec, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var eq = spec.IndexOf('=', StringComparison.Ordinal);
        var id = eq < 0 ? spec : spec[..eq];
        if (id.Length == 0)
        {
            throw new BuildException($"invalid ssh \"{spec}\": an id is required (default, or ID=SOCKET)");
        }

        string socket;
        if (eq < 0 || spec[(eq + 1)..].Length == 0)
        {
            // buildx's sshutil: an id alone is the agent of SSH_AUTH_SOCK.
            socket = environment("SSH_AUTH_SOCK") is { Length: > 0 } fromEnvironment
                ? fromEnvironment
                : throw new BuildException("invalid empty ssh agent socket: make sure SSH_AUTH_SOCK is set");
        }
        else
        {
            var paths = spec[(eq + 1)..].Split(',');
            if (paths.Length != 1)
            {
                throw new BuildException($"invalid ssh \"{spec}\": only one agent socket per id is forwarded (key files are not served; add them to an agent with ssh-add)");
            }

            socket = paths[0];
        }

        socket = Path.GetFullPath(socket);
        socket = new FileInfo(socket).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? socket;
        if (Oci.Unix.UnixFiles.TryLStat(socket) is not { Type: Oci.Unix.UnixFileStatus.Socket })
        {
            throw new BuildException($"invalid ssh \"{spec}\": {socket} is not an ssh agent socket (key files are not served; add them to an agent with ssh-add)");
        }

        return new BuildSshAgent(id, socket);
    }
}
