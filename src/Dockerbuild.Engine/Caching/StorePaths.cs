namespace Dockerbuild.Engine.Caching;

/// <summary>
/// Where the engine keeps its caches inside a store root, beside the blobs and the image index: one
/// place, so that builds, <c>run</c> and prune agree on the layout.
/// </summary>
internal static class StorePaths
{
    /// <summary>Extracted layer directories, by diffID hex.</summary>
    public static string Layers(string root) => Path.Combine(root, "layers");

    /// <summary>Snapshots and per-RUN private files of builds in flight.</summary>
    public static string Work(string root) => Path.Combine(root, "work");

    public static string Snapshots(string root) => Path.Combine(Work(root), "snapshots");

    public static string Steps(string root) => Path.Combine(root, "cache", "steps");

    public static string CacheMounts(string root) => Path.Combine(root, "cache", "mounts");

    public static string Hashes(string root) => Path.Combine(root, "cache", "hashes");

    /// <summary>Gzip members of written layers, reused when a layer is written again (GzipMemberCache).</summary>
    public static string GzipMembers(string root) => Path.Combine(root, "cache", "gzip-members");

    /// <summary>Held shared by every build and run, exclusively by prune.</summary>
    public static string UseLock(string root) => Path.Combine(root, "cache", "use.lock");
}
