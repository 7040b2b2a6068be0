using System.ComponentModel;
using System.Diagnostics;

namespace Dockerbuild.Oci.Registry;

/// <summary>
/// Runs <c>docker-credential-&lt;name&gt; get|store|erase</c> as docker does: the input on stdin, JSON or
/// text on stdout. A missing helper or a non-zero exit becomes a <see cref="CredentialHelperException"/>.
/// </summary>
internal static class CredentialHelper
{
    /// <summary>What helpers print when they have nothing for a server (docker-credential-helpers' errCredentialsNotFound).</summary>
    public const string NotFoundMessage = "credentials not found in native keychain";

    public static async Task<(int ExitCode, string Output)> RunAsync(string helper, string verb, string input, string registry, Func<string, string?> environment, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(Locate("docker-credential-" + helper, environment))
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(verb);
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new Win32Exception();
        }
        catch (Win32Exception e)
        {
            throw new CredentialHelperException(helper, registry, $"docker-credential-{helper} is not installed or not on PATH (config.json names it in credsStore/credHelpers)", e);
        }

        using (process)
        {
            try
            {
                await process.StandardInput.WriteAsync(input.AsMemory(), cancellationToken).ConfigureAwait(false);
                process.StandardInput.Close();
                var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
                var error = process.StandardError.ReadToEndAsync(cancellationToken);
                await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
                var text = (await output.ConfigureAwait(false)).Trim();
                var errorText = (await error.ConfigureAwait(false)).Trim();
                return (process.ExitCode, process.ExitCode == 0 ? text : FirstLine(text.Length > 0 ? text : errorText));
            }
            catch (IOException e)
            {
                throw new CredentialHelperException(helper, registry, "it stopped before answering", e);
            }
            finally
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                }
            }
        }
    }

    /// <summary>The helper's full path from the given environment's PATH, or its bare name for the OS to find.</summary>
    private static string Locate(string name, Func<string, string?> environment)
    {
        foreach (var folder in (environment("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(folder, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return name;
    }

    private static string FirstLine(string text)
    {
        var line = text.Split('\n', 2)[0].Trim();
        return line.Length > 200 ? line[..200] : line;
    }
}
