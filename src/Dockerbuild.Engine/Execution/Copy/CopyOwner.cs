using System.Globalization;
using System.Text;
using Dockerbuild.Engine.Context;

namespace Dockerbuild.Engine.Execution.Copy;

/// <summary>
/// --chown as BuildKit reads it (llb.WithUser, then the file op's readUser): "user[:group]", each a
/// number (or "root") or a name. A numeric user alone gives gid = uid; a user name alone gives the
/// user's primary group from the image's /etc/passwd; a group name is looked up in /etc/group. A name
/// found nowhere (or no passwd file at all) leaves the id at 0, exactly as BuildKit does.
/// </summary>
internal static class CopyOwner
{
    public static async Task<(int Uid, int Gid)?> ResolveAsync(string? chown, ISourceFileSystem? rootfs, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(chown))
        {
            return null;
        }

        var separator = chown.IndexOf(':', StringComparison.Ordinal);
        var user = separator < 0 ? chown : chown[..separator];
        var group = separator < 0 ? null : chown[(separator + 1)..];
        int uid = 0, gid = 0;
        if (ParseId(user) is { } numericUser)
        {
            uid = gid = numericUser;
        }
        else if (await FindAsync(rootfs, "etc/passwd", user, cancellationToken).ConfigureAwait(false) is { Length: >= 4 } passwd)
        {
            uid = ParseId(passwd[2]) ?? 0;
            gid = ParseId(passwd[3]) ?? 0;
        }

        if (group is not null)
        {
            if (ParseId(group) is { } numericGroup)
            {
                gid = numericGroup;
            }
            else if (await FindAsync(rootfs, "etc/group", group, cancellationToken).ConfigureAwait(false) is { Length: >= 3 } groupLine)
            {
                gid = ParseId(groupLine[2]) ?? gid;
            }
        }

        return (uid, gid);
    }

    private static int? ParseId(string text) =>
        text == "root" ? 0 : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;

    private static async Task<string[]?> FindAsync(ISourceFileSystem? rootfs, string file, string name, CancellationToken cancellationToken)
    {
        if (rootfs is null)
        {
            return null;
        }

        var path = SourcePaths.Resolve(rootfs, file, followLast: true);
        if (rootfs.Stat(path) is not { Type: Oci.Layers.LayerEntryType.RegularFile })
        {
            return null;
        }

        var stream = await rootfs.OpenReadAsync(path, cancellationToken).ConfigureAwait(false);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            var fields = line.Split(':');
            if (fields[0] == name && !line.StartsWith('#'))
            {
                return fields;
            }
        }

        return null;
    }
}
