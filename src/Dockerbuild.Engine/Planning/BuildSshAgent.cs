namespace Dockerbuild.Engine.Planning;

/// <summary>
/// A <c>--ssh default|ID[=SOCKET|KEY[,KEY...]]</c>: an ssh agent forwarded to <c>RUN --mount=type=ssh,id=ID</c>.
/// </summary>
/// <param name="Id">What the mount's id= names (<c>default</c> when it names none).</param>
/// <param name="Socket">The agent's Unix socket on this machine; empty while <see cref="KeyFiles"/> wait for an agent to serve them.</param>
public sealed record BuildSshAgent(string Id, string Socket)
{
    /// <summary>Private keys to serve from an agent of the build's own (<see cref="Runtime.SshKeyAgent"/>) instead of a socket.</summary>
    public IReadOnlyList<string> KeyFiles { get; init; } = [];

    /// <summary>
    /// Parses buildx's form: an id alone takes <c>$SSH_AUTH_SOCK</c>; a path is an agent socket, or
    /// private key files (several separated by commas) that an agent of the build's own will hold.
    /// </summary>
    public static BuildSshAgent Parse(string spec, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var eq = spec.IndexOf('=', StringComparison.Ordinal);
        var id = eq < 0 ? spec : spec[..eq];
        if (id.Length == 0)
        {
            throw new BuildException($"invalid ssh \"{spec}\": an id is required (default, or ID=SOCKET|KEY)");
        }

        if (eq < 0 || spec[(eq + 1)..].Length == 0)
        {
            // buildx's sshutil: an id alone is the agent of SSH_AUTH_SOCK.
            var fromEnvironment = environment("SSH_AUTH_SOCK") is { Length: > 0 } value
                ? value
                : throw new BuildException("invalid empty ssh agent socket: make sure SSH_AUTH_SOCK is set");
            return new BuildSshAgent(id, Resolve(spec, fromEnvironment, socketOnly: true));
        }

        var paths = spec[(eq + 1)..].Split(',').Select(p => Resolve(spec, p, socketOnly: false)).ToList();
        if (paths is [var only] && IsSocket(only))
        {
            return new BuildSshAgent(id, only);
        }

        return paths.FirstOrDefault(IsSocket) is { } socket
            ? throw new BuildException($"invalid ssh \"{spec}\": {socket} is an agent socket; it cannot be mixed with key files")
            : new BuildSshAgent(id, "") { KeyFiles = paths };
    }

    private static string Resolve(string spec, string path, bool socketOnly)
    {
        var full = Path.GetFullPath(path);
        if (Oci.Unix.UnixFiles.TryLStat(full) is { Type: Oci.Unix.UnixFileStatus.Symlink } && File.Exists(full))
        {
            full = new FileInfo(full).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? full;
        }

        return Oci.Unix.UnixFiles.TryLStat(full) switch
        {
            { Type: Oci.Unix.UnixFileStatus.Socket } => full,
            { Type: Oci.Unix.UnixFileStatus.Regular } when !socketOnly => full,
            _ => throw new BuildException($"invalid ssh \"{spec}\": {full} is neither an ssh agent socket nor a private key file"),
        };
    }

    private static bool IsSocket(string path) => Oci.Unix.UnixFiles.TryLStat(path) is { Type: Oci.Unix.UnixFileStatus.Socket };
}
