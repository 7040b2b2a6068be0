using Dockerbuild.Testing;

namespace Dockerbuild.IntegrationTests.Cli;

/// <summary>A build context holding the machine's static busybox, for Dockerfiles that start <c>FROM scratch</c> and copy it in.</summary>
internal static class BusyboxContext
{
    /// <summary>The Dockerfile's first lines: busybox as /bin/busybox and /bin/sh.</summary>
    public const string Base = "FROM scratch\nCOPY busybox /bin/busybox\nCOPY busybox /bin/sh\n";

    /// <summary>Writes <paramref name="dockerfile"/> and busybox into a new directory under <paramref name="parent"/>.</summary>
    public static async Task<string> CreateAsync(string parent, string dockerfile, string name = "context")
    {
        Require.Executable("runc", "runc");
        var busybox = Require.Executable("busybox", "busybox-static");
        var context = Directory.CreateDirectory(Path.Combine(parent, name)).FullName;
        File.Copy(busybox, Path.Combine(context, "busybox"), overwrite: true);
        await File.WriteAllTextAsync(Path.Combine(context, "Dockerfile"), dockerfile, TestContext.Current.CancellationToken);
        return context;
    }
}
