using System.Diagnostics;
using System.Text;
using Xunit;

namespace Dockerbuild.Testing;

/// <summary>Runs the dotnet CLI as a user would, with no MSBuild node or server left behind to keep the task assembly loaded.</summary>
public static class DotnetProcess
{
    /// <summary>
    /// What every run gets: no node reuse, no build server, no first-run noise, and the private NuGet
    /// cache given (none: the machine's, where the SDK's own packages such as the ILCompiler already are).
    /// </summary>
    public static Dictionary<string, string?> Environment(string? packagesCache = null)
    {
        var environment = Base();
        if (packagesCache is not null)
        {
            environment["NUGET_PACKAGES"] = packagesCache;
        }

        return environment;
    }

    private static Dictionary<string, string?> Base() => new()
    {
        ["MSBUILDDISABLENODEREUSE"] = "1",
        ["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0",
        ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        ["DOTNET_NOLOGO"] = "1",
        ["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1",
        // Set by the test host's own MSBuild; a child dotnet must find its SDK by itself.
        ["MSBuildExtensionsPath"] = null,
        ["MSBuildSDKsPath"] = null,
        ["MSBUILD_EXE_PATH"] = null,
        ["MSBuildLoadMicrosoftTargetsReadOnly"] = null,
    };

    /// <returns>The exit code and stdout and stderr interleaved as they came.</returns>
    public static Task<(int ExitCode, string Output)> RunAsync(string workingDirectory, IReadOnlyDictionary<string, string?> environment, params string[] arguments) =>
        RunAsync(workingDirectory, environment, null, arguments);

    /// <param name="onLine">Sees each line as it comes, with the running process (to signal it, say).</param>
    public static async Task<(int ExitCode, string Output)> RunAsync(string workingDirectory, IReadOnlyDictionary<string, string?> environment, Action<string, Process>? onLine, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet", arguments)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var (name, value) in environment)
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        var output = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        process.WaitForExit();
        lock (output)
        {
            return (process.ExitCode, output.ToString());
        }

        void Append(string? line)
        {
            if (line is not null)
            {
                lock (output)
                {
                    output.AppendLine(line);
                }

                onLine?.Invoke(line, process);
            }
        }
    }
}
