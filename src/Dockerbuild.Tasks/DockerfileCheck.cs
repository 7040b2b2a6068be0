using Dockerbuild.Dockerfile;
using Dockerbuild.Dockerfile.Checks;
using Dockerbuild.Dockerfile.Instructions;
using Dockerbuild.Dockerfile.Syntax;
using Dockerbuild.Engine;
using Dockerbuild.Engine.Execution;
using Dockerbuild.Engine.Planning;
using Dockerbuild.Oci.Storage;
using Dockerbuild.Tasks.Diagnostics;
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

    public override bool Execute()
    {
        var diagnostics = new DiagnosticLog(Log);
        var path = Path.GetFullPath(Dockerfile);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            diagnostics.Error(DiagnosticCodes.DockerfileNotFound, DiagnosticLocation.OfFile(path), $"cannot read the Dockerfile: {e.Message}");
            return false;
        }

        try
        {
            var syntax = DockerfileParser.Parse(text, path);
            var bound = DockerfileBinder.Bind(syntax);
            var findings = FindingsAsync(syntax, bound, path).GetAwaiter().GetResult();
            foreach (var finding in findings)
            {
                diagnostics.Finding(finding);
            }
        }
        catch (DockerfileException e)
        {
            diagnostics.Error(DiagnosticCodes.InvalidDockerfile, DiagnosticLocation.Of(e.Span), e.Reason);
        }

        return !Log.HasLoggedErrors;
    }

    /// <summary>
    /// As a build lints before it runs: bases the local store holds lend their env and SHELL, so the
    /// findings are BuildKit's for them. A Dockerfile the planner refuses (an unknown target ...) is
    /// checked without them; the image build reports that error.
    /// </summary>
    private async Task<IReadOnlyList<CheckFinding>> FindingsAsync(DockerfileSyntax syntax, BoundDockerfile bound, string path)
    {
        var buildArgs = TaskItems.Pairs(BuildArgs);
        var request = new BuildRequest
        {
            ContextDirectory = Path.GetDirectoryName(path)!,
            DockerfilePath = path,
            BuildArgs = buildArgs,
            Target = Target.Length > 0 ? Target : null,
        };
        var store = new ImageStore(new BlobStore(StoreRoot.Length > 0 ? Path.GetFullPath(StoreRoot) : Oci.Storage.StoreRoot.Resolve()));
        try
        {
            return await LocalBuildChecks.RunAsync(syntax, bound, request, store, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is BuildException or IOException or UnauthorizedAccessException)
        {
            Log.LogMessage(MessageImportance.Low, "Checking without the base images' configuration: {0}", e.Message);
            return BuildChecks.Run(syntax, bound, buildArgs);
        }
    }
}
