using Dockerbuild.Publish;
using Dockerbuild.Publish.Diagnostics;
using Dockerbuild.Testing;

namespace Dockerbuild.Tasks.Tests.Unit;

/// <summary>
/// The task's side of the native host: events replayed into the log as the host writes them, and a
/// host that dies or cannot start. Stand-in hosts are shell scripts that speak (or break) the protocol.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class NativeHostTests
{
    private static readonly ProjectImageRequest Request = new() { Dockerfile = "/src/app/Dockerfile", Repository = "app", Tags = ["latest"] };

    [Fact]
    public void TheHostsEventsAreReplayedInOrderAndItsResultReturned()
    {
        using var directory = new TempDirectory();
        var result = new ProjectImageResult("sha256:" + new string('a', 64), "sha256:" + new string('b', 64), [new ProjectImageName("app:latest", "", "app", "latest")]);
        var host = Script(directory, $"""
            cat > "{directory.Combine("request.json")}"
            echo '{HostProtocol.Line(new HostEvent { Importance = LogImportance.Normal, Text = "Step 1/2 FROM scratch" })}'
            echo '{HostProtocol.Line(new HostEvent { Diagnostic = new LoggedDiagnostic(LogSeverity.Warning, "DKB2001", null, "/src/app/Dockerfile", 3, 1, "unused") })}'
            echo '{HostProtocol.Line(new HostEvent { Result = result })}'
            """);
        var log = new RecordingLog();

        Assert.True(NativeHost.TryRun(host, Request, log, CancellationToken.None, out var returned));

        Assert.Equal(result.ManifestDigest, returned!.ManifestDigest);
        Assert.Equal(["app:latest"], returned.Images.Select(i => i.Name));
        Assert.Equal(["message Normal Step 1/2 FROM scratch", "Warning DKB2001 /src/app/Dockerfile(3,1): unused"], log.Lines);
        // The request reached the host whole, as JSON on its stdin.
        using var sent = File.OpenRead(directory.Combine("request.json"));
        Assert.Equal(Request.Dockerfile, HostProtocol.ReadRequest(sent).Dockerfile);
    }

    [Fact]
    public void AHostThatDiesMidBuildWithoutAnErrorIsOneInternalErrorNamingItsExitCodeAndStderr()
    {
        using var directory = new TempDirectory();
        var host = Script(directory, $"""
            cat > /dev/null
            echo '{HostProtocol.Line(new HostEvent { Importance = LogImportance.Normal, Text = "Step 1/2 FROM scratch" })}'
            echo 'not an event'
            echo 'segfault-ish' >&2
            exit 139
            """);
        var log = new RecordingLog();

        Assert.True(NativeHost.TryRun(host, Request, log, CancellationToken.None, out var returned));

        Assert.Null(returned);
        Assert.Equal(["message Normal Step 1/2 FROM scratch", "message Low not an event"], log.Lines[..2]);
        var error = Assert.Single(log.Lines, l => l.StartsWith("Error ", StringComparison.Ordinal));
        Assert.StartsWith("Error DKB1999 /src/app/Dockerfile(0,0): internal error, please report it: the native host", error);
        Assert.EndsWith("exited with code 139: segfault-ish", error);
    }

    [Fact]
    public void AHostThatEndsBeforeSayingAnythingDidNothingSoTheTaskBuildsInProcess()
    {
        using var directory = new TempDirectory();
        // What the dynamic loader does when the C library is older than the host was linked against.
        var host = Script(directory, """
            echo "host: version 'GLIBC_2.99' not found" >&2
            exit 1
            """);
        var log = new RecordingLog();

        Assert.False(NativeHost.TryRun(host, Request, log, CancellationToken.None, out var returned));

        Assert.Null(returned);
        var line = Assert.Single(log.Lines);
        Assert.StartsWith("message Low Dockerbuild: the native host ", line);
        Assert.EndsWith("did not run (exit code 1: host: version 'GLIBC_2.99' not found); building in the MSBuild process", line);
    }

    [Fact]
    public void AFailedBuildIsItsOwnErrorsWithoutAnInternalOne()
    {
        using var directory = new TempDirectory();
        var host = Script(directory, $"""
            cat > /dev/null
            echo '{HostProtocol.Line(new HostEvent { Diagnostic = new LoggedDiagnostic(LogSeverity.Error, "DKB1101", null, "/src/app/Dockerfile", 4, 1, "RUN failed") })}'
            exit 1
            """);
        var log = new RecordingLog();

        Assert.True(NativeHost.TryRun(host, Request, log, CancellationToken.None, out var returned));

        Assert.Null(returned);
        Assert.Equal(["Error DKB1101 /src/app/Dockerfile(4,1): RUN failed"], log.Lines);
    }

    [Fact]
    public void AHostThatCannotStartIsReportedAsNotRunSoTheTaskBuildsInProcess()
    {
        using var directory = new TempDirectory();
        var host = directory.Combine("not-a-program");
        File.WriteAllBytes(host, [0x7f, (byte)'E', (byte)'L', (byte)'F', 0, 0]);
        File.SetUnixFileMode(host, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var log = new RecordingLog();

        Assert.False(NativeHost.TryRun(host, Request, log, CancellationToken.None, out var returned));

        Assert.Null(returned);
        Assert.Contains(log.Lines, l => l.StartsWith("message Low Dockerbuild: the native host ", StringComparison.Ordinal) && l.EndsWith("building in the MSBuild process", StringComparison.Ordinal));
    }

    private static string Script(TempDirectory directory, string body)
    {
        var path = directory.Combine("host.sh");
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    private sealed class RecordingLog : IBuildLog
    {
        public List<string> Lines { get; } = [];

        public void Message(LogImportance importance, string text) => Lines.Add($"message {importance} {text}");

        public void Diagnostic(LoggedDiagnostic diagnostic) =>
            Lines.Add($"{diagnostic.Severity} {diagnostic.Code} {diagnostic.File}({diagnostic.Line},{diagnostic.Column}): {diagnostic.Message}");
    }
}
