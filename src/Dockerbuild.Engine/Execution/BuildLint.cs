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

    /// <summary>
    /// BuildKit lints while converting, before anything runs, so <c># check=error=true</c> stops a build
    /// early. Here that early pass knows the bases the local store already holds (not under --pull,
    /// where they may change); it only fails, leaving the reporting to <see cref="Run"/>.
    /// </summary>
    public async Task CheckBeforeBuildAsync(BuildSession session, BaseImageResolver resolver, CancellationToken cancellationToken)
    {
        var known = new Dictionary<string, ImageConfig>(StringComparer.Ordinal);
        if (!session.Request.Pull)
        {
            foreach (var planned in session.Plan.Stages.Where(s => s.BaseStage is null && !known.ContainsKey(s.BaseName)))
            {
                var name = session.Request.NamedContexts.TryGetValue(planned.BaseName, out var named) ? NamedContexts.ImageReference(named) : planned.BaseName;
                if (name is not null && await resolver.TryOpenLocalAsync(name, session.Plan.TargetPlatform, cancellationToken).ConfigureAwait(false) is { } image)
                {
                    known[planned.BaseName] = image.Config.Value;
                }
            }
        }

        var findings = Findings(session, known);
        if (findings.Any(f => f.IsError))
        {
            Report(session, findings);
        }
    }

    public void Run(BuildSession session) => Report(session, Findings(session, bases));

    private IReadOnlyList<CheckFinding> Findings(BuildSession session, IReadOnlyDictionary<string, ImageConfig> configs) =>
        BuildChecks.Run(
            syntax,
            dockerfile,
            session.Request.BuildArgs,
            name => configs.TryGetValue(name, out var config) ? ConfigEnvironment.Parse(config.Config.Env).ToDictionary(StringComparer.Ordinal) : null,
            name => configs.TryGetValue(name, out var config) ? config.Config.Shell : null);

    private static void Report(BuildSession session, IReadOnlyList<CheckFinding> findings)
    {
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
