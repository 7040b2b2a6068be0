namespace Dockerbuild.Oci.Storage;

/// <summary>Where the embedded stores live by default.</summary>
public static class StoreRoot
{
    /// <summary><c>$DOCKERBUILD_ROOT</c>, else <c>$XDG_DATA_HOME/dockerbuild</c>, else <c>~/.local/share/dockerbuild</c>.</summary>
    public static string Resolve() => Resolve(Environment.GetEnvironmentVariable);

    /// <summary>As <see cref="Resolve()"/>, reading the variables from <paramref name="environment"/> (a CLI's or a test's).</summary>
    public static string Resolve(Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var explicitRoot = environment("DOCKERBUILD_ROOT");
        if (!string.IsNullOrEmpty(explicitRoot))
        {
            return Path.GetFullPath(explicitRoot);
        }

        var dataHome = environment("XDG_DATA_HOME");
        if (string.IsNullOrEmpty(dataHome))
        {
            dataHome = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share");
        }

        return Path.Combine(Path.GetFullPath(dataHome), "dockerbuild");
    }
}
