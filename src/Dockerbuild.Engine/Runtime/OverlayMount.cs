using System.Text;

namespace Dockerbuild.Engine.Runtime;

/// <summary>
/// Mounts overlayfs. The mount data is limited to one page, which a few dozen long layer paths
/// exceed, and ':' or ',' in a path would break the option syntax; in either case each lowerdir is
/// reached through a short symlink ("&lt;linkDir&gt;/0", "/1", ...), as Docker's overlay2 driver does with
/// its "l/" links (overlayfs resolves the links when mounting).
/// </summary>
internal static class OverlayMount
{
    private const int MountDataLimit = 4096 - 1;

    /// <param name="lowerDirs">Top first, as overlayfs wants them.</param>
    /// <param name="upperDir">Null for a read-only overlay (then at least two lowers are needed).</param>
    public static void Mount(string target, IReadOnlyList<string> lowerDirs, string? upperDir, string? workDir, string linkDir)
    {
        var options = Options(lowerDirs, upperDir, workDir);
        if (options.Length > MountDataLimit || lowerDirs.Any(NeedsLink))
        {
            Directory.CreateDirectory(linkDir);
            var links = new List<string>(lowerDirs.Count);
            for (var i = 0; i < lowerDirs.Count; i++)
            {
                var link = Path.Combine(linkDir, i.ToString(System.Globalization.CultureInfo.InvariantCulture));
                File.Delete(link);
                File.CreateSymbolicLink(link, Path.GetFullPath(lowerDirs[i]));
                links.Add(link);
            }

            options = Options(links, upperDir, workDir);
            if (options.Length > MountDataLimit)
            {
                throw new MountException($"{lowerDirs.Count} layers are too many for one overlay mount (its options exceed a page even with short links); squash some layers.", 7);
            }
        }

        Native.Mount("overlay", target, "overlay", options);
    }

    private static bool NeedsLink(string path) => path.Contains(':') || path.Contains(',');

    private static string Options(IReadOnlyList<string> lowerDirs, string? upperDir, string? workDir)
    {
        var options = new StringBuilder("lowerdir=").AppendJoin(':', lowerDirs);
        if (upperDir is not null)
        {
            options.Append(",upperdir=").Append(upperDir).Append(",workdir=").Append(workDir);
        }

        // No index: layers are remounted in other stacks. No redirects, which the upperdir differ cannot
        // follow: asked for as root; implied by userxattr in a user namespace, where the kernel rejects
        // redirect_dir next to it (checked under unshare -Urm on kernel 6.18).
        options.Append(HostEnvironment.InUserNamespace ? ",index=off,userxattr" : ",index=off,redirect_dir=off");

        return options.ToString();
    }
}
