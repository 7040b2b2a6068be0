using System.Globalization;
using Dockerbuild.Dockerfile.Expansion;
using Dockerbuild.Dockerfile.Instructions;
using Dockerbuild.Engine.Caching;
using Dockerbuild.Engine.Context;
using Dockerbuild.Engine.Planning;
using Dockerbuild.Oci;
using Dockerbuild.Oci.Storage;

namespace Dockerbuild.Engine.Execution;

/// <summary>
/// <c>docker buildx build</c> into the local store: loads the Dockerfile, plans the stages the target
/// needs, builds independent stages in parallel (bounded), and writes the target's config and OCI
/// manifest, tagging it as asked; for several platforms, once per platform and an OCI index of them.
/// </summary>
public sealed class ImageBuilder
{
    private readonly ImageStore store;
    private readonly BuildEngineOptions options;

    public ImageBuilder(ImageStore store, BuildEngineOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        this.store = store;
        this.options = options ?? new BuildEngineOptions();
    }

    /// <summary>RUN steps executed (not cached) by the last build of this builder; for tests and reports.</summary>
    public int LastRunCount { get; private set; }

    public async Task<BuildResult> BuildAsync(BuildRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("Building images needs Linux.");
        }

        // Held until the build ends, so a prune never removes what this build wrote but has not referenced yet.
        using var inUse = await StoreUseLock.AcquireSharedAsync(store.Blobs.Root, cancellationToken).ConfigureAwait(false);
        var path = request.ResolveDockerfilePath();
        string text;
        try
        {
            text = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BuildException($"failed to read dockerfile {path}: {e.Message}", e);
        }

        var outputs = request.Outputs.Select(BuildOutput.Parse).ToList();
        var tags = request.Tags.Select(t => ImageReference.TryParse(t, out var r)
            ? r.WithDefaultTag()
            : throw new BuildException($"invalid tag \"{t}\": not a valid image reference")).ToList();
        var syntax = Dockerfile.Syntax.DockerfileParser.Parse(text, Path.GetFileName(path));
        var dockerfile = DockerfileBinder.Bind(syntax);
        var platforms = BuildPlanner.TargetPlatforms(request.Platform);
        if (platforms.Count > 1 && outputs.Any(o => o.Type == "docker"))
        {
            // BuildKit's docker exporter refuses an index after building; nothing could be exported, so say it before.
            throw new BuildException("docker exporter does not currently support exporting manifest lists");
        }

        // As buildx: the Dockerfile is built once per platform, each with its own TARGET* args and bases.
        IReadOnlyList<BuildRequest> requests = platforms.Count switch
        {
            > 1 => [.. platforms.Select(p => request with { Platform = p.ToString() })],
            1 when request.Platform!.Contains(',', StringComparison.Ordinal) => [request with { Platform = platforms[0].ToString() }],
            _ => [request],
        };
        var plans = requests.Select(r => BuildPlanner.Plan(dockerfile, r)).ToList();
        // The registries a push will need are probed while the build runs, not after it.
        var warmUps = outputs.Any(o => o.Type == "registry") && options.Registry is { } pushTo
            ? tags.Select(t => t.Registry).Distinct(StringComparer.Ordinal).Select(r => pushTo.WarmUpAsync(r, cancellationToken)).ToList()
            : [];
        var hashes = await FileHashCache.OpenAsync(StorePaths.Hashes(store.Blobs.Root), cancellationToken).ConfigureAwait(false);
        using var http = options.Http is null ? new HttpClient() : null;
        var epoch = SourceDateEpoch(request);
        var contexts = new ContextLoader(request.ContextDirectory, path);
        var built = new List<(BuildSession Session, StageState Final)>();
        var runs = 0;
        // One lint for all platforms: each records the bases it resolved (InvalidBaseImagePlatform differs per platform); it reports once.
        var lint = options.RunChecks ? new BuildLint(syntax, dockerfile) : null;
        foreach (var (one, plan) in requests.Zip(plans))
        {
            // One platform after the other, sharing the step cache and the store.
            var session = new BuildSession(one, plan, store, options, epoch, hashes, options.Http ?? http!)
            {
                Lint = lint,
                StepsBefore = built.Count == 0 ? 0 : built[^1].Session.StepCount,
                PlatformLabel = plans.Count > 1 ? plan.TargetPlatform.ToString() : null,
                Contexts = contexts,
            };
            try
            {
                built.Add((session, await BuildStagesAsync(session, cancellationToken).ConfigureAwait(false)));
            }
            finally
            {
                runs += session.RunCount;
                LastRunCount = runs;
            }
        }

        await hashes.SaveAsync(cancellationToken).ConfigureAwait(false);
        WarnUnusedBuildArgs(built[0].Session, dockerfile);
        built[0].Session.Lint?.Run(built[0].Session);
        var images = new List<PlatformImage>();
        foreach (var (session, final) in built)
        {
            images.Add(await WriteImageAsync(session, final, cancellationToken).ConfigureAwait(false));
        }

        BuildResult result;
        if (images.Count == 1)
        {
            await store.AddAsync(images[0].ManifestDigest, tags, cancellationToken).ConfigureAwait(false);
            result = new BuildResult(images[0], tags) { SourceDateEpoch = epoch };
        }
        else
        {
            // BuildKit's multi-platform export: an OCI index of the platforms' manifests, in the order asked, each naming its platform.
            var index = RawJson<ImageIndex>.Create(new ImageIndex([.. images.Select(i => i.Manifest)]) { MediaType = MediaTypes.OciIndex });
            var indexBlob = await store.Blobs.WriteAsync(index, MediaTypes.OciIndex, cancellationToken).ConfigureAwait(false);
            await store.AddAsync(indexBlob.Digest, tags, cancellationToken).ConfigureAwait(false);
            result = new BuildResult(indexBlob, images, tags) { SourceDateEpoch = epoch };
        }

        await Task.WhenAll(warmUps).ConfigureAwait(false);
        await ImageExporter.ExportAsync(result, outputs, store.Blobs, options.Registry, options.PushProgress, cancellationToken).ConfigureAwait(false);
        return result;
    }

    /// <summary>Builds the plan's stages, independent ones in parallel (bounded), and gives the target's final state.</summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private async Task<StageState> BuildStagesAsync(BuildSession session, CancellationToken cancellationToken)
    {
        var plan = session.Plan;
        if (session.Lint is { } lint)
        {
            await lint.CheckBeforeBuildAsync(session, session.Bases, cancellationToken).ConfigureAwait(false);
        }

        var executor = new StageExecutor(session);
        using var gate = new SemaphoreSlim(Math.Max(1, options.MaxParallelStages));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        foreach (var planned in plan.Stages)
        {
            session.Register(planned.Stage.Index, BuildStageAsync(planned));
        }

        var all = Task.WhenAll(plan.Stages.Select(s => session.StageResultAsync(s.Stage.Index)));
        try
        {
            await all.ConfigureAwait(false);
            return await session.StageResultAsync(plan.Target.Stage.Index).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && all.Exception?.InnerExceptions.FirstOrDefault(e => e is not OperationCanceledException) is { } cause)
        {
            // A stage failed and the others were stopped: report the failure, not the stopping.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(cause);
            throw;
        }

        async Task<StageState> BuildStageAsync(PlannedStage planned)
        {
            foreach (var dependency in planned.DependsOn)
            {
                await session.StageResultAsync(dependency).ConfigureAwait(false);
            }

            await gate.WaitAsync(stop.Token).ConfigureAwait(false);
            try
            {
                return await executor.ExecuteAsync(planned, stop.Token).ConfigureAwait(false);
            }
            catch
            {
                // One failed stage fails the build: stop the stages running beside it.
                await stop.CancelAsync().ConfigureAwait(false);
                throw;
            }
            finally
            {
                gate.Release();
            }
        }
    }

    /// <summary>SOURCE_DATE_EPOCH as a build arg, else from the environment, as buildx passes it.</summary>
    private static DateTimeOffset? SourceDateEpoch(BuildRequest request)
    {
        var text = request.BuildArgs.TryGetValue("SOURCE_DATE_EPOCH", out var given) ? given : Environment.GetEnvironmentVariable("SOURCE_DATE_EPOCH");
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : throw new BuildException($"invalid SOURCE_DATE_EPOCH \"{text}\": expected seconds since 1970");
    }

    private static void WarnUnusedBuildArgs(BuildSession session, BoundDockerfile dockerfile)
    {
        var declared = dockerfile.GlobalArgs.SelectMany(a => a.Args)
            .Concat(session.Plan.Stages.SelectMany(s => s.Stage.Instructions.OfType<ArgInstruction>()).SelectMany(a => a.Args))
            .Select(a => a.Name)
            .ToHashSet(StringComparer.Ordinal);
        var unused = session.Request.BuildArgs.Keys
            .Where(name => !declared.Contains(name)
                && !BuildArgScope.ProxyArgNames.Contains(name, StringComparer.OrdinalIgnoreCase)
                && !BuildArgScope.PlatformArgNames.Contains(name, StringComparer.Ordinal)
                && name != "SOURCE_DATE_EPOCH"
                && !name.StartsWith("BUILDKIT_", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();
        if (unused.Count > 0)
        {
            session.Report(new BuildEvent(BuildEventKind.Warning, 0, $"One or more build-args [{string.Join(" ", unused)}] were not consumed"));
        }
    }

    /// <summary>Writes the target's config and OCI manifest for the session's platform (untagged).</summary>
    private async Task<PlatformImage> WriteImageAsync(BuildSession session, StageState final, CancellationToken cancellationToken)
    {
        var config = final.Config;
        if (session.Request.Labels.Count > 0)
        {
            var labels = new SortedDictionary<string, string>(StringComparer.Ordinal);
            foreach (var (k, v) in config.Config.Labels ?? new Dictionary<string, string>())
            {
                labels[k] = v;
            }

            foreach (var (k, v) in session.Request.Labels)
            {
                labels[k] = v;
            }

            config = config with { Config = config.Config with { Labels = labels } };
        }

        if (session.Plan.ExplicitPlatform)
        {
            // BuildKit's finalizeResultImage: an asked-for platform is the image's, whatever its base said.
            var target = session.Plan.TargetPlatform;
            var sameOsArch = config.Os == target.Os && config.Architecture == target.Architecture;
            config = config with
            {
                Os = target.Os,
                Architecture = target.Architecture,
                Variant = target.Variant is not null || !sameOsArch ? target.Variant : config.Variant,
                OsVersion = !sameOsArch ? null : config.OsVersion,
            };
        }

        config = config with { Created = session.SourceDateEpoch ?? config.History?.LastOrDefault()?.Created ?? session.Now() };
        var configBlob = await store.Blobs.WriteAsync(RawJson<ImageConfig>.Create(config), MediaTypes.OciConfig, cancellationToken).ConfigureAwait(false);
        var manifest = RawJson<ImageManifest>.Create(new ImageManifest(configBlob, final.Layers) { MediaType = MediaTypes.OciManifest });
        var manifestBlob = await store.Blobs.WriteAsync(manifest, MediaTypes.OciManifest, cancellationToken).ConfigureAwait(false);
        // As BuildKit's export, the manifest's descriptor names its platform (an OCI layout's index.json, an index, show it).
        var platform = new Platform(config.Os, config.Architecture) { Variant = config.Variant };
        return new PlatformImage(manifestBlob with { Platform = platform }, configBlob.Digest, config);
    }
}
