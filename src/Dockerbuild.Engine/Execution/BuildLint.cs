using System.Collections.Concurrent;
using Dockerbuild.Dockerfile.Checks;
using Dockerbuild.Dockerfile.Instructions;
using Dockerbuild.Dockerfile.Syntax;
using Dockerbuild.Oci;

namespace Dockerbuild.Engine.Execution;

/// <summary>
/// The build checks BuildKit runs during a build, fed what the engine learned while building: the
/// config of each external base image (its env for UndefinedVar, its SHELL for JSONArgsRecommended).
/// Findings are reported as check warnings (<c>JSONArgsRecommended: ... (line 4)</c>); under <c># check=error=true</c>
/// they fail the build with BuildKit's "lint violation found for rules: ...".
/// </summary>
internal sealed class BuildLint(DockerfileSyntax syntax, BoundDockerfile dockerfile)
{
    private readonly ConcurrentDictionary<string, ImageConfig> bases = new(StringComparer.Ordinal);

    /// <summary>Remembers the config a FROM resolved, by the base name as expanded with the global args.</summary>
    public void RecordBase(string baseName, ImageConfig config) => bases[baseName] = config;

    public void Run(BuildSession session)
    {
        var findings = BuildChecks.Run(
            syntax,
            dockerfile,
            session.Request.BuildArgs,
            name => bases.TryGetValue(name, out var config) ? ConfigEnvironment.Parse(config.Config.Env).ToDictionary(StringComparer.Ordinal) : null,
            name => bases.TryGetValue(name, out var config) ? config.Config.Shell : null);
        foreach (var finding in findings)
        {
            session.Report(new BuildEvent(BuildEventKind.CheckWarning, 0, $"{finding.RuleName}: {finding.Message} (line {finding.Span.StartLine})"));
        }

        var violated = findings.Where(f => f.IsError).Select(f => f.RuleName).Distinct(StringComparer.Ordinal).ToList();
        if (violated.Count > 0)
        {
            throw new BuildException($"lint violation found for rules: {string.Join(", ", violated)}");
        }
    }
}
