using System.Formats.Tar;
using Dockerbuild.Engine.Runtime;
using Dockerbuild.Oci.Layers;
using Dockerbuild.Oci.Unix;

namespace Dockerbuild.Engine.Execution;

/// <summary>
/// Records a layer's OCI whiteouts in its own extracted directory the way overlayfs reads them in a
/// user namespace (userxattr): a 0/0 character device for <c>.wh.NAME</c> (the kernel lets anyone make
/// one) and <c>user.overlay.opaque=y</c> for <c>.wh..wh..opq</c>. Root outside a user namespace has the
/// extractor write them as trusted.* markers; everyone else (rootless, or root of a user namespace,
/// where trusted.* xattrs are refused) extracts with the whiteouts applied and adds them with this,
/// so stacked layers still hide what upper layers deleted, for overlay and copy snapshots alike.
/// </summary>
internal static class WhiteoutMarkers
{
    private const string Prefix = ".wh.";
    private const string Opaque = ".wh..wh..opq";

    /// <summary>True when the extractor cannot write the markers itself (not root, or root of a user namespace).</summary>
    public static bool Needed => !Environment.IsPrivilegedProcess || HostEnvironment.InUserNamespace;

    public static async Task WriteAsync(Stream layer, string root, CancellationToken cancellationToken)
    {
        var tar = await LayerDecompression.OpenAsync(layer, cancellationToken).ConfigureAwait(false);
        await using (tar.ConfigureAwait(false))
        {
            var reader = new TarReader(tar);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false) is { } entry)
                {
                    Mark(root, entry.Name);
                }
            }
        }
    }

    private static void Mark(string root, string entryName)
    {
        var name = entryName;
        while (name.StartsWith("./", StringComparison.Ordinal))
        {
            name = name[2..];
        }

        name = name.TrimStart('/').TrimEnd('/');
        var slash = name.LastIndexOf('/');
        var baseName = slash < 0 ? name : name[(slash + 1)..];
        if (!baseName.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return;
        }

        var parent = RootPath.Resolve(root, slash < 0 ? "/" : name[..slash]);
        if (UnixFiles.TryLStat(parent) is not { IsDirectory: true })
        {
            return;
        }

        if (baseName == Opaque)
        {
            UnixFiles.LSetXattr(parent, "user.overlay.opaque", "y"u8.ToArray());
            return;
        }

        var hidden = baseName[Prefix.Length..];
        if (hidden is "" or "." or ".." || hidden.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return;
        }

        var path = Path.Combine(parent, hidden);
        if (UnixFiles.TryLStat(path) is null)
        {
            UnixFiles.MkNod(path, UnixFileStatus.CharDevice, 0, 0);
        }
    }
}
