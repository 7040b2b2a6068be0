using System.Runtime.CompilerServices;
using Dockerbuild.Dockerfile;
using Dockerbuild.Dockerfile.Checks;
using Dockerbuild.Dockerfile.Instructions;
using Dockerbuild.Dockerfile.Syntax;
using Dockerbuild.Engine;
using Dockerbuild.Engine.Execution;
using Dockerbuild.Engine.Planning;
using Dockerbuild.Oci.Storage;
using Dockerbuild.Publish.Diagnostics;
using Dockerbuild.Publish.Incremental;
using Microsoft.Build.Framework;
using Task = Microsoft.Build.Utilities.Task;

namespace Dockerbuild.Tasks;

/// <summary>
/// <c>dotnet build</c>: BuildKit's build checks on the project's Dockerfile, each finding an MSBuild
/// warning at <c>Dockerfile(line,col)</c> coded with the rule's name (an error under
/// <c># check=error=true</c>); a Dockerfile that does not parse is error DKB1002 at the offending line.
/// </summary>
public sealed class DockerfileCheck : Task
{
    [Required]
    public string Dockerfile { get; set; } = "";

    /// <summary><c>DockerfileBuildArg</c> items: BUILDKIT_DOCKERFILE_CHECK among them configures the checks, as in BuildKit.</summary>
    public ITaskItem[] BuildArgs { get; set; } = [];

    /// <summary>The stage the image build would target (the bases it needs lend their env and shell to the checks).</summary>
    public string Target { get; set; } = "";

    /// <summary>The local store whose base images inform the checks; as the CLI's when empty.</summary>
    public string StoreRoot { get; set; } = "";

    /// <summary>Where the findings of the last check are kept (under obj/) and replayed from while nothing they depend on changed; none when empty.</summary>
    public string StampFile { get; set; } = "";

    public override bool Execute()
    {
        var diagnostics = new DiagnosticLog(new MsBuildLog(Log));
        var path = Path.GetFullPath(Dockerfile);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            diagnostics.Error(DiagnosticCodes.DockerfileNotFound, DiagnosticLocation.OfFile(path), $"cannot read the Dockerfile: {e.Message}");
            return false;
        }

        var storeRoot = StoreRoot.Length > 0 ? Path.GetFullPath(StoreRoot) : Oci.Storage.StoreRoot.Resolve();
        var stampFile = StampFile.Length > 0 ? Path.GetFullPath(StampFile) : null;
        var key = stampFile is null ? null : CheckStamp.ComputeKey(Path.GetDirectoryName(typeof(DockerfileCheck).Assembly.Location) ?? "", path, bytes, TaskItems.Pairs(BuildArgs), Target, storeRoot);
        if (key is not null && Replay(stampFile!, key, storeRoot, diagnostics))
        {
            return !Log.HasLoggedErrors;
        }

        Check(path, bytes, storeRoot, diagnostics, key is null ? null : (stampFile!, key));
        return !Log.HasLoggedErrors;
    }

    /// <summary>The last check's findings, logged again, when its stamp still holds; false means check.</summary>
    private bool Replay(string stampFile, string key, string storeRoot, DiagnosticLog diagnostics)
    {
        if (CheckStamp.TryRead(stampFile) is not { } stamp || stamp.Key != key
            || !stamp.BasesUnchangedAsync(new ImageStore(new BlobStore(storeRoot)), CancellationToken.None).GetAwaiter().GetResult())
        {
            return false;
        }

        Log.LogMessage(MessageImportance.Low, "Dockerfile checks up to date (the Dockerfile, its build arguments, target and base images have not changed): {0} findings replayed", stamp.Findings.Count);
        foreach (var finding in stamp.Findings)
        {
            diagnostics.Replay(finding);
        }

        return true;
    }

    // Kept apart from Execute so a replay never loads the parser and the engine.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Check(string path, byte[] bytes, string storeRoot, DiagnosticLog diagnostics, (string File, string Key)? stamp)
    {
        try
        {
            var syntax = DockerfileParser.Parse(DecodeText(bytes), path);
            var bound = DockerfileBinder.Bind(syntax);
            var (findings, bases) = FindingsAsync(syntax, bound, path, storeRoot).GetAwaiter().GetResult();
            var logged = findings.Select(diagnostics.Finding).ToList();
            if (stamp is { } s && bases is not null)
            {
                try
                {
                    new CheckStamp(s.Key, bases, logged).Write(s.File);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // Only the next check's shortcut is lost.
                    Log.LogMessage(MessageImportance.Low, "Could not write the check stamp {0}: {1}", s.File, e.Message);
                }
            }
        }
        catch (DockerfileException e)
        {
            diagnostics.Error(DiagnosticCodes.InvalidDockerfile, DiagnosticLocation.Of(e.Span), e.Reason);
        }
    }

    /// <summary>As File.ReadAllText: UTF-8 unless a byte order mark says otherwise.</summary>
    private static string DecodeText(byte[] bytes)
    {
        using var reader = new StreamReader(new MemoryStream(bytes), System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return reader.ReadToEnd();
    }

    /// <summary>
    /// As a build lints before it runs: bases the local store holds lend their env and SHELL, so the
    /// findings are BuildKit's for them. A Dockerfile the planner refuses (an unknown target ...) is
    /// checked without them; the image build reports that error.
    /// </summary>
    private async Task<(IReadOnlyList<CheckFinding> Findings, IReadOnlyList<string>? Bases)> FindingsAsync(DockerfileSyntax syntax, BoundDockerfile bound, string path, string storeRoot)
    {
        var buildArgs = TaskItems.Pairs(BuildArgs);
        var request = new BuildRequest
        {
            ContextDirectory = Path.GetDirectoryName(path)!,
            DockerfilePath = path,
            BuildArgs = buildArgs,
            Target = Target.Length > 0 ? Target : null,
        };
        var store = new ImageStore(new BlobStore(storeRoot));
        try
        {
            // The bases first: read before the checks, a base pulled meanwhile only makes the stamp stale.
            var bases = await ImageStamp.BasesAsync(bound, request, store, CancellationToken.None).ConfigureAwait(false);
            return (await LocalBuildChecks.RunAsync(syntax, bound, request, store, CancellationToken.None).ConfigureAwait(false), bases);
        }
        catch (Exception e) when (e is BuildException or IOException or UnauthorizedAccessException)
        {
            Log.LogMessage(MessageImportance.Low, "Checking without the base images' configuration: {0}", e.Message);
            // Not stamped: the store may read fine next time.
            return (BuildChecks.Run(syntax, bound, buildArgs), null);
        }
    }
}
