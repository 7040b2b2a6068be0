using System.Collections.Concurrent;
using Dockerbuild.Dockerfile;
using Dockerbuild.Dockerfile.Checks;
using Dockerbuild.Dockerfile.Ignore;
using Dockerbuild.Dockerfile.Instructions;
using Dockerbuild.Dockerfile.Syntax;
using Dockerbuild.Engine.Planning;
using Dockerbuild.Oci;

namespace Dockerbuild.Engine.Execution;

/// <summary>
/// The build checks BuildKit runs during a build, fed what the engine learned while building: the
/// config of each external base image (its env for UndefinedVar, its SHELL for JSONArgsRecommended, its
/// platform for InvalidBaseImagePlatform).
/// Findings are reported as check warnings (<c>JSONArgsRecommended: ... (line 4)</c>); under <c># check=error=true</c>
/// they fail the build with BuildKit's "lint violation found for rules: ...".
/// </summary>
internal sealed class BuildLint(DockerfileSyntax syntax, BoundDockerfile dockerfile)
{
    private readonly ConcurrentDictionary<string, ImageConfig> bases = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<BaseImagePlatform, byte> platforms = new();
    private DockerIgnore? contextIgnore;

    /// <summary>Remembers the config a FROM resolved, by the base name as expanded with the global args.</summary>
    public void RecordBase(string baseName, ImageConfig config) => bases[baseName] = config;

    /// <summary>
    /// Remembers the platform an image a FROM, COPY --from or RUN --mount from= resolved is used for beside the
    /// one it declares (<paramref name="platformGiven"/>: by FROM --platform, which leaves nothing to detect).
    /// </summary>
    public void RecordBasePlatform(BuildSession session, string image, Platform expected, bool platformGiven, ImageConfig config, SourceSpan span)
    {
        if (BasePlatform(session.Plan, image, expected, platformGiven, config, span, session.Options.BinfmtDirectory) is { } found)
        {
            platforms.TryAdd(found, 0);
        }
    }

    /// <summary>
    /// BuildKit lints while converting, before anything runs, so <c># check=error=true</c> stops a build
    /// early. As its converter resolves every image first, this early pass then resolves (pulling if need be)
    /// the images FROM, COPY --from and RUN --mount from= name; otherwise it knows only the bases the local
    /// store already holds. It only fails, leaving the reporting to <see cref="Run"/>.
    /// </summary>
    public async Task CheckBeforeBuildAsync(BuildSession session, BaseImageResolver resolver, CancellationToken cancellationToken)
    {
        var resolve = BuildChecks.FailOnFindings(dockerfile, session.Request.BuildArgs);
        var known = await LocalBasesAsync(session.Plan, session.Request, resolver, session.Options.BinfmtDirectory, cancellationToken, resolve).ConfigureAwait(false);
        contextIgnore = await ContextIgnoreAsync(session.Request, cancellationToken).ConfigureAwait(false);
        var findings = Findings(syntax, dockerfile, session.Request.BuildArgs, known, contextIgnore);
        if (findings.Any(f => f.IsError))
        {
            Report(session, findings);
        }
    }

    public void Run(BuildSession session) => Report(session, Findings(syntax, dockerfile, session.Request.BuildArgs, new KnownBases(bases, [.. platforms.Keys.OrderBy(p => p.Span.StartLine).ThenBy(p => p.Expected, StringComparer.Ordinal)]), contextIgnore));

    /// <summary>
    /// The configs of the plan's external bases that the local store already holds, each for the platform its
    /// stage builds for (none under --pull, where they may change); with <paramref name="resolve"/>, those of all
    /// its external images, resolved as the build will (an image that fails to resolve is left to the build to report).
    /// </summary>
    internal static async Task<KnownBases> LocalBasesAsync(BuildPlan plan, BuildRequest request, BaseImageResolver resolver, string binfmtDirectory, CancellationToken cancellationToken, bool resolve = false)
    {
        var configs = new Dictionary<string, ImageConfig>(StringComparer.Ordinal);
        var platforms = new List<BaseImagePlatform>();
        async Task<Oci.Storage.LocalImage?> OpenAsync(string name, Platform platform)
        {
            if (!resolve)
            {
                return await resolver.TryOpenLocalAsync(name, platform, cancellationToken).ConfigureAwait(false);
            }

            try
            {
                return await resolver.ResolveAsync(name, request.Pull, platform, cancellationToken).ConfigureAwait(false);
            }
            catch (BuildException)
            {
                return null;
            }
        }

        if (!request.Pull || resolve)
        {
            foreach (var planned in plan.Stages.Where(s => s.BaseStage is null && !string.Equals(s.BaseName, "scratch", StringComparison.OrdinalIgnoreCase)))
            {
                var named = request.NamedContexts.TryGetValue(planned.BaseName, out var context);
                var name = named ? NamedContexts.ImageReference(context!) : planned.BaseName;
                Platform platform;
                try
                {
                    platform = BuildPlanner.StagePlatform(plan, planned.Stage);
                }
                catch (DockerfileException)
                {
                    // A FROM --platform the build cannot use: the build reports it, with or without the checks.
                    continue;
                }

                if (name is null || await OpenAsync(name, platform).ConfigureAwait(false) is not { } image)
                {
                    continue;
                }

                configs.TryAdd(planned.BaseName, image.Config.Value);
                if (!named && BasePlatform(plan, planned.BaseName, platform, planned.Stage.Platform is not null, image.Config.Value, planned.Stage.Span, binfmtDirectory) is { } found)
                {
                    platforms.Add(found);
                }
            }
        }

        if (resolve)
        {
            // BuildKit resolves an image COPY --from or RUN --mount from= names as a stage of its own, for the target.
            foreach (var (image, span) in ReadImages(plan, request))
            {
                if (await OpenAsync(image, plan.TargetPlatform).ConfigureAwait(false) is { } read
                    && BasePlatform(plan, image, plan.TargetPlatform, false, read.Config.Value, span, binfmtDirectory) is { } found)
                {
                    platforms.Add(found);
                }
            }
        }

        return new KnownBases(configs, platforms);
    }

    /// <summary>The images (not stages of the plan, nor named contexts) that the plan's COPY --from and RUN --mount from= read.</summary>
    private static IEnumerable<(string Image, SourceSpan Span)> ReadImages(BuildPlan plan, BuildRequest request)
    {
        foreach (var instruction in plan.Stages.SelectMany(s => s.Stage.Instructions))
        {
            var froms = instruction switch
            {
                CopyInstruction { From: { } from } => [from],
                RunInstruction run => run.Mounts.Where(m => m.From is not null).Select(m => m.From!),
                _ => [],
            };
            foreach (var from in froms)
            {
                if (plan.Dockerfile.FindStage(from) is null && !request.NamedContexts.ContainsKey(from)
                    && !from.Contains('$', StringComparison.Ordinal) && !string.Equals(from, "scratch", StringComparison.OrdinalIgnoreCase))
                {
                    yield return (from, instruction.Span);
                }
            }
        }
    }

    /// <summary>The context's .dockerignore for CopyIgnoredFile; null when it cannot be read (the build reports that where it reads the context).</summary>
    internal static async Task<DockerIgnore?> ContextIgnoreAsync(BuildRequest request, CancellationToken cancellationToken)
    {
        try
        {
            return await DockerIgnoreFile.LoadAsync(request.ContextDirectory, request.ResolveDockerfilePath(), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or IgnorePatternException)
        {
            return null;
        }
    }

    internal static IReadOnlyList<CheckFinding> Findings(DockerfileSyntax syntax, BoundDockerfile dockerfile, IReadOnlyDictionary<string, string> buildArgs, KnownBases known, DockerIgnore? contextIgnore) =>
        BuildChecks.Run(
            syntax,
            dockerfile,
            buildArgs,
            name => known.Configs.TryGetValue(name, out var config) ? ConfigEnvironment.Parse(config.Config.Env).ToDictionary(StringComparer.Ordinal) : null,
            name => known.Configs.TryGetValue(name, out var config) ? config.Config.Shell : null,
            known.Platforms,
            contextIgnore);

    /// <summary>
    /// BuildKit compares with the platform the image's config declares; a config declaring none is not judged.
    /// Nor is an image BuildKit's autoDetectPlatform adopts: with no --platform for the build nor the stage, an
    /// image for a platform the machine runs (natively or through a registered emulator) sets the platform it is used for.
    /// </summary>
    private static BaseImagePlatform? BasePlatform(BuildPlan plan, string image, Platform expected, bool platformGiven, ImageConfig config, SourceSpan span, string binfmtDirectory)
    {
        if (config.Os.Length == 0 || config.Architecture.Length == 0
            || Emulators.AutoDetect(plan, platformGiven, expected, config, binfmtDirectory) is not null)
        {
            return null;
        }

        return new BaseImagePlatform(image, expected.Normalize().ToString(), config.Platform.Normalize().ToString(), span);
    }

    /// <summary>What is known of the external images: base configs by expanded base name, and the platforms of the images resolved.</summary>
    internal sealed record KnownBases(IReadOnlyDictionary<string, ImageConfig> Configs, IReadOnlyCollection<BaseImagePlatform> Platforms);

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
