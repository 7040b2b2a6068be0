using Dockerbuild.Dockerfile;
using Dockerbuild.Dockerfile.Checks;
using Dockerbuild.Dockerfile.Instructions;
using Dockerbuild.Dockerfile.Syntax;
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
            var findings = BuildChecks.Run(syntax, bound, TaskItems.Pairs(BuildArgs));
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
}
