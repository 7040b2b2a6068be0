using System.Diagnostics;
using System.Runtime.InteropServices;
using Dockerbuild.Publish;
using Dockerbuild.Publish.Diagnostics;

namespace Dockerbuild.Tasks;

/// <summary>
/// Runs the project image build in the package's native host (Dockerbuild.Publish.Host, compiled ahead
/// of time), replaying its events into the task's log as they come. The host does exactly what
/// <see cref="ProjectImageBuild"/> does in process, without the JIT compilation MSBuild's process would pay.
/// </summary>
internal static partial class NativeHost
{
    public const string FileName = "Dockerbuild.Publish.Host";

    private const int SigTerm = 15;

    /// <summary>How long a cancelled host gets to stop its container and clean up before it is killed.</summary>
    private static readonly TimeSpan CancelGrace = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The host packed for this machine (tasks/net10.0/linux-x64/ beside the task assembly), made
    /// executable if the package's extraction dropped the mode; null where there is none.
    /// </summary>
    public static string? Find()
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.OSArchitecture != Architecture.X64)
        {
            return null;
        }

        var path = Path.Combine(Path.GetDirectoryName(typeof(NativeHost).Assembly.Location) ?? "", "linux-x64", FileName);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            var mode = File.GetUnixFileMode(path);
            const UnixFileMode executable = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
            if ((mode & executable) != executable)
            {
                File.SetUnixFileMode(path, mode | executable);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A shared, read-only package folder: build in process instead.
            return null;
        }

        return path;
    }

    /// <summary>
    /// The image, or null when the build failed (its errors logged). False when the host could not be
    /// started, or ended before saying anything (a package folder mounted noexec, an older C library
    /// than it needs ...): it did nothing, and the caller builds in process instead.
    /// </summary>
    public static bool TryRun(string host, ProjectImageRequest request, IBuildLog log, CancellationToken cancellationToken, out ProjectImageResult? result)
    {
        var start = new ProcessStartInfo(host)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Environment.CurrentDirectory,
        };
        result = null;
        Process? started;
        try
        {
            started = Process.Start(start);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            log.Message(LogImportance.Low, $"Dockerbuild: the native host {host} could not be started ({e.Message}); building in the MSBuild process");
            return false;
        }

        using var process = started!;
        var errors = process.StandardError.ReadToEndAsync(CancellationToken.None);
        try
        {
            using var input = process.StandardInput.BaseStream;
            HostProtocol.WriteRequest(input, request);
        }
        catch (IOException)
        {
            // The host ended before reading its request: its exit code and stderr below say why.
        }

        // Cancel asks the host to stop (it kills its container), then kills it if it does not in time.
        using var cancel = cancellationToken.Register(() =>
        {
            _ = Kill(process.Id, SigTerm);
            if (!process.WaitForExit(CancelGrace))
            {
                process.Kill(entireProcessTree: true);
            }
        });
        var failed = false;
        var spoke = false;
        while (process.StandardOutput.ReadLine() is { } line)
        {
            var value = HostProtocol.ReadEvent(line);
            spoke |= value is not null;
            switch (value)
            {
                case { Result: { } built }:
                    result = built;
                    break;
                case { Diagnostic: { } diagnostic }:
                    failed |= diagnostic.Severity == LogSeverity.Error;
                    log.Diagnostic(diagnostic);
                    break;
                case { Text: { } text } message:
                    log.Message(message.Importance ?? LogImportance.Normal, text);
                    break;
                default:
                    log.Message(LogImportance.Low, line);
                    break;
            }
        }

        process.WaitForExit();
        var stderr = errors.GetAwaiter().GetResult().Trim();
        if (process.ExitCode == 0 && result is not null)
        {
            return true;
        }

        result = null;
        if (!spoke)
        {
            // It never got to the build (a C library older than the one it was linked against, a
            // request it could not read): nothing was done, so the build runs in process instead.
            log.Message(LogImportance.Low, $"Dockerbuild: the native host {host} did not run (exit code {process.ExitCode}{(stderr.Length > 0 ? ": " + stderr : "")}); building in the MSBuild process");
            return false;
        }

        if (!failed)
        {
            // The host died without saying why (a signal, a crash of the runtime): a bug of ours.
            log.Diagnostic(new LoggedDiagnostic(LogSeverity.Error, DiagnosticCodes.InternalError, null, Path.GetFullPath(request.Dockerfile), 0, 0,
                $"internal error, please report it: the native host {host} exited with code {process.ExitCode}" + (stderr.Length > 0 ? ": " + stderr : "")));
        }
        else if (stderr.Length > 0)
        {
            log.Message(LogImportance.Low, stderr);
        }

        return true;
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
