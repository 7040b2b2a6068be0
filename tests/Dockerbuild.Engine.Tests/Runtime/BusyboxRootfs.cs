using Dockerbuild.Testing;

namespace Dockerbuild.Engine.Tests.Runtime;

/// <summary>
/// A minimal image root made from Debian's busybox-static: /bin/busybox with a symlink per applet,
/// the usual mount points, and passwd/group files with a "builder" user (1000:1000).
/// </summary>
internal static class BusyboxRootfs
{
    public const string Passwd = "root:x:0:0:root:/root:/bin/sh\nbuilder:x:1000:1000:Builder:/home/builder:/bin/sh\n";

    public const string Group = "root:x:0:\nbuilder:x:1000:\nstaff:x:50:builder\naudio:x:29:builder,other\nwheel:x:10:root\n";

    public static string Create(string directory)
    {
        var busybox = Require.Executable("busybox", "busybox-static");
        var bin = Path.Combine(directory, "bin");
        Directory.CreateDirectory(bin);
        File.Copy(busybox, Path.Combine(bin, "busybox"));
        foreach (var applet in Applets(busybox))
        {
            var link = Path.Combine(bin, applet);
            if (!File.Exists(link))
            {
                File.CreateSymbolicLink(link, "busybox");
            }
        }

        foreach (var mountPoint in (string[])["proc", "sys", "dev", "tmp", "etc", "root", "home/builder"])
        {
            Directory.CreateDirectory(Path.Combine(directory, mountPoint));
        }

        File.WriteAllText(Path.Combine(directory, "etc", "passwd"), Passwd);
        File.WriteAllText(Path.Combine(directory, "etc", "group"), Group);
        return directory;
    }

    private static IEnumerable<string> Applets(string busybox)
    {
        var start = new System.Diagnostics.ProcessStartInfo(busybox, "--list") { RedirectStandardOutput = true };
        using var process = System.Diagnostics.Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }
}
