namespace Dockerbuild.Testing;

/// <summary>OpenSSH for the ssh forwarding tests: a fresh key, and ssh-add with its libraries in a directory a RUN can bind in.</summary>
public static class SshTools
{
    /// <summary>A new ed25519 private key in <paramref name="directory"/>, listed by ssh-add as "<paramref name="comment"/> (ED25519)".</summary>
    public static async Task<string> KeyAsync(string directory, string comment, string passphrase = "")
    {
        var key = Path.Combine(directory, comment);
        await ExternalTool.OutputAsync(Require.Executable("ssh-keygen", "openssh-client"), "-q", "-t", "ed25519", "-N", passphrase, "-C", comment, "-f", key);
        return key;
    }

    /// <summary>ssh-add and the libraries ldd names, flat in one directory, with the loader as ld.so: run as <c>/t/ld.so --library-path /t /t/ssh-add</c>.</summary>
    public static async Task<string> SshAddDirectoryAsync(string directory)
    {
        var sshAdd = Require.Executable("ssh-add", "openssh-client");
        var ldd = await ExternalTool.OutputAsync(Require.Executable("ldd", "libc-bin"), sshAdd);
        Directory.CreateDirectory(directory);
        File.Copy(sshAdd, Path.Combine(directory, "ssh-add"));
        foreach (var line in ldd.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var path = line.Split(' ').FirstOrDefault(p => p.StartsWith('/'));
            if (path is not null)
            {
                File.Copy(path, Path.Combine(directory, line.StartsWith('/') ? "ld.so" : Path.GetFileName(path)), overwrite: true);
            }
        }

        return directory;
    }
}
