using System.Globalization;

namespace Dockerbuild.Engine.Runtime;

/// <summary>
/// Turns a USER string into ids the way BuildKit does (oci.GetUser over runc's user.GetExecUser):
/// "uid:gid" in numbers (or "root") is taken as is with no lookup; otherwise /etc/passwd of the root
/// filesystem maps a name or number to uid and primary gid, an explicit ":group" is looked up in
/// /etc/group (or taken as a number), and without one the supplementary groups are every group that
/// lists the user. Numbers missing from the files are allowed; names are not.
/// </summary>
public static class UserResolver
{
    private const uint MaxId = int.MaxValue;

    public static async Task<ContainerUser> ResolveAsync(string rootfs, string? user, CancellationToken cancellationToken)
    {
        user ??= "";
        if (TryParseFastPath(user) is { } fast)
        {
            return fast;
        }

        var separator = user.IndexOf(':', StringComparison.Ordinal);
        var userArg = separator < 0 ? user : user[..separator];
        var groupArg = separator < 0 ? "" : user[(separator + 1)..];
        var uidArg = ParseNumber(userArg);
        var gidArg = ParseNumber(groupArg);

        var passwd = await ReadLinesAsync(rootfs, "/etc/passwd", cancellationToken).ConfigureAwait(false);
        uint uid = 0, gid = 0;
        string? matchedName = null;
        var entry = passwd?
            .Select(line => line.Split(':'))
            .Where(f => f.Length >= 4 && ParseNumber(f[2]) is not null && ParseNumber(f[3]) is not null)
            .FirstOrDefault(f => userArg.Length == 0 ? ParseNumber(f[2]) == 0
                : uidArg is { } n ? ParseNumber(f[2]) == n
                : f[0] == userArg);
        if (entry is not null)
        {
            matchedName = entry[0];
            uid = ParseNumber(entry[2])!.Value;
            gid = ParseNumber(entry[3])!.Value;
        }
        else if (userArg.Length > 0)
        {
            uid = uidArg ?? throw new UnknownUserException($"unable to find user {userArg}: no matching entries in passwd file");
        }

        IReadOnlyList<uint> supplementary = [];
        if (groupArg.Length > 0 || matchedName is not null)
        {
            var groups = (await ReadLinesAsync(rootfs, "/etc/group", cancellationToken).ConfigureAwait(false) ?? [])
                .Select(line => line.Split(':'))
                .Where(f => f.Length >= 3 && ParseNumber(f[2]) is not null)
                .Where(f => groupArg.Length == 0 ? f.Length >= 4 && f[3].Split(',').Contains(matchedName)
                    : gidArg is { } n ? ParseNumber(f[2]) == n
                    : f[0] == groupArg)
                .Select(f => ParseNumber(f[2])!.Value)
                .ToList();
            if (groupArg.Length > 0)
            {
                gid = groups.Count > 0 ? groups[0] : gidArg ?? throw new UnknownUserException($"unable to find group {groupArg}: no matching entries in group file");
            }
            else
            {
                supplementary = groups;
            }
        }

        return new ContainerUser(uid, gid, supplementary);
    }

    /// <summary>BuildKit's ParseUIDGID: both parts given and numeric (or "root"); "" is root.</summary>
    private static ContainerUser? TryParseFastPath(string user)
    {
        if (user.Length == 0)
        {
            return ContainerUser.Root;
        }

        var parts = user.Split(':', 2);
        return parts.Length == 2 && ParseId(parts[0]) is { } uid && ParseId(parts[1]) is { } gid
            ? new ContainerUser(uid, gid, [])
            : null;

        static uint? ParseId(string part) => part == "root" ? 0 : ParseNumber(part);
    }

    private static uint? ParseNumber(string text) =>
        uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value <= MaxId ? value : null;

    private static async Task<IReadOnlyList<string>?> ReadLinesAsync(string rootfs, string path, CancellationToken cancellationToken)
    {
        try
        {
            var lines = await File.ReadAllLinesAsync(RootPath.Resolve(rootfs, path), cancellationToken).ConfigureAwait(false);
            return [.. lines.Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#'))];
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }
}
