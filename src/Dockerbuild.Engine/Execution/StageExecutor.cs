using System.Diagnostics;
using System.Globalization;
using Dockerbuild.Dockerfile;
using Dockerbuild.Dockerfile.Instructions;
using Dockerbuild.Engine.Caching;
using Dockerbuild.Engine.Planning;
using Dockerbuild.Oci;

namespace Dockerbuild.Engine.Execution;

/// <summary>
/// Builds one stage: FROM, the base image's ONBUILD triggers, then each instruction through a single
/// dispatch to its handler. Every step has a cache key (parent key, instruction, variables in scope);
/// a hit takes the stored config and layers without running anything.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
internal sealed class StageExecutor(BuildSession session)
{
    private readonly BaseImageResolver bases = session.Bases;
    private readonly WorkdirHandler workdir = new(session);
    private RunMountResolver? mounts;
    private RunHandler? run;
    private CopyHandler? copy;

    private CopyHandler Copy => copy ??= new CopyHandler(session, bases);

    private RunMountResolver Mounts => mounts ??= new RunMountResolver(session, bases);

    private RunHandler Run => run ??= new RunHandler(session, Mounts);

    public async Task<StageState> ExecuteAsync(PlannedStage planned, CancellationToken cancellationToken)
    {
        var stage = planned.Stage;
        var total = stage.Instructions.Count + 1;
        var label = StageLabel(stage);
        var step = session.NextStep();
        var watch = Stopwatch.StartNew();
        session.Report(new BuildEvent(BuildEventKind.Started, step, $"[{label}1/{total}] FROM {BaseDisplay(planned)}", Elapsed: session.Elapsed) { Span = stage.Span });
        var state = await FromAsync(planned, cancellationToken).ConfigureAwait(false);
        session.Report(new BuildEvent(BuildEventKind.Done, step, "", watch.Elapsed, session.Elapsed));

        var noCache = session.Request.NoCache
            || (stage.Name is not null && session.Request.NoCacheFilter.Contains(stage.Name, StringComparer.OrdinalIgnoreCase));

        var triggers = state.Config.Config.OnBuild ?? [];
        if (triggers.Count > 0)
        {
            state = state with { Config = state.Config with { Config = state.Config.Config with { OnBuild = null } } };
            foreach (var trigger in triggers)
            {
                var instruction = ParseTrigger(trigger, stage.Span);
                state = await StepAsync(instruction, state, $"[{label}1/{total}] ONBUILD {trigger}", noCache, ReadsLayers(stage.Instructions), cancellationToken).ConfigureAwait(false);
            }
        }

        for (var i = 0; i < stage.Instructions.Count; i++)
        {
            var instruction = stage.Instructions[i];
            state = await StepAsync(instruction, state, $"[{label}{i + 2}/{total}] {Display(instruction, state)}", noCache, ReadsLayers(stage.Instructions.Skip(i + 1)), cancellationToken).ConfigureAwait(false);
        }

        return state;
    }

    /// <summary>Whether any of these steps reads the stage's layers: RUN stands on them, COPY/ADD and WORKDIR look at what exists.</summary>
    private static bool ReadsLayers(IEnumerable<Instruction> later) =>
        later.Any(i => i is RunInstruction or CopyInstruction or AddInstruction or WorkdirInstruction);

    private async Task<StageState> StepAsync(Instruction instruction, StageState state, string name, bool noCache, bool layerUsedLater, CancellationToken cancellationToken)
    {
        var step = session.NextStep();
        var watch = Stopwatch.StartNew();
        session.Report(new BuildEvent(BuildEventKind.Started, step, name, Elapsed: session.Elapsed) { Span = instruction.Span });
        // Proxy build args reach RUN but, as BuildKit's llb.WithProxy, stay out of the key: changing a proxy reuses the cache.
        var environment = state.Scope.Environment;
        var context = new StepContext(instruction, step, session.Now(), layerUsedLater);
        Execution.Copy.CopyPlan? copyPlan = null;
        var copiedBy = "";
        IReadOnlyList<string> inputs = [];
        StageState next;
        try
        {
            if (instruction is CopyInstruction or AddInstruction)
            {
                (copyPlan, copiedBy) = await Copy.PlanAsync(instruction, state, context.Created, cancellationToken).ConfigureAwait(false);
            }
            else if (instruction is RunInstruction { Mounts.Count: > 0 } withMounts)
            {
                inputs = await Mounts.InputsAsync(withMounts, state, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is BuildException or DockerfileException)
        {
            session.Report(new BuildEvent(BuildEventKind.Error, step, e.Message, watch.Elapsed, session.Elapsed));
            throw;
        }

        await using var planScope = copyPlan;
        var key = CacheKey.Compute(state.CacheKey, [instruction.Name, instruction.Original, copyPlan?.InputDigest ?? "", EpochPart, .. inputs, .. CacheKey.Environment(environment)]);
        var cached = noCache ? null : await session.Cache.TryGetAsync(key, cancellationToken).ConfigureAwait(false);
        try
        {
            if (MetadataHandlers.Handles(instruction))
            {
                // Metadata handlers are pure and cheap; they also carry ARG and ENV into the scope, which a hit needs too.
                next = MetadataHandlers.Apply(instruction, state, session.Lexer, context.Created);
            }
            else if (cached is not null)
            {
                next = state;
            }
            else if (copyPlan is not null)
            {
                next = await Copy.CommitAsync(state, copyPlan, copiedBy, context, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                next = await DispatchAsync(instruction, state, context, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is BuildException or DockerfileException)
        {
            session.Report(new BuildEvent(BuildEventKind.Error, step, e.Message, watch.Elapsed, session.Elapsed));
            throw;
        }

        if (cached is not null)
        {
            next = next with { Config = cached.Config, Layers = cached.Layers };
            session.Report(new BuildEvent(BuildEventKind.Cached, step, name, Elapsed: session.Elapsed));
        }
        else
        {
            await session.Cache.StoreAsync(key, new CachedStep(next.Config, next.Layers), cancellationToken).ConfigureAwait(false);
            session.Report(new BuildEvent(BuildEventKind.Done, step, name, watch.Elapsed, session.Elapsed));
        }

        return next with { CacheKey = key };
    }

    /// <summary>An image base as BuildKit names it (docker.io/library/busybox:latest); stages and scratch as written.</summary>
    private string BaseDisplay(PlannedStage planned) =>
        planned.BaseStage is null && !string.Equals(planned.BaseName, "scratch", StringComparison.OrdinalIgnoreCase) && LocalContext(planned.BaseName) is null
            && ImageReference.TryParse(planned.BaseName, out var reference)
            ? reference.WithDefaultTag().ToString()
            : planned.BaseName;

    /// <summary>SOURCE_DATE_EPOCH changes layer times and history, so a result made without it (or with another) is not a hit.</summary>
    private string EpochPart => session.SourceDateEpoch is { } epoch ? "epoch=" + epoch.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture) : "";

    /// <summary>The one dispatch from instruction kind to handler, as BuildKit's dispatch() does.</summary>
    private Task<StageState> DispatchAsync(Instruction instruction, StageState state, StepContext context, CancellationToken cancellationToken) => instruction switch
    {
        RunInstruction r => Run.ExecuteAsync(r, state, context, cancellationToken),
        WorkdirInstruction w => workdir.ExecuteAsync(w, state, context, cancellationToken),
        _ => throw new DockerfileException(instruction.Span, $"{instruction.Name} cannot be executed here"),
    };

    private async Task<StageState> FromAsync(PlannedStage planned, CancellationToken cancellationToken)
    {
        var stage = planned.Stage;
        var platform = BuildPlanner.StagePlatform(session.Plan, stage);

        ImageConfig config;
        IReadOnlyList<Descriptor> layers;
        string key;
        if (planned.BaseStage is { } baseStage)
        {
            // As BuildKit's init(): a stage on another stage takes its platform, whatever its own FROM --platform says.
            var built = await session.StageResultAsync(baseStage.Index).ConfigureAwait(false);
            (config, layers, key, platform) = (built.Config, built.Layers, built.CacheKey, built.Platform);
        }
        else if (string.Equals(planned.BaseName, "scratch", StringComparison.OrdinalIgnoreCase))
        {
            // BuildKit builds scratch for the target platform, even under FROM --platform.
            platform = session.Plan.TargetPlatform;
            (config, layers, key) = (EmptyConfig(platform), [], CacheKey.Compute("", ["scratch", platform.ToString()]));
        }
        else if (LocalContext(planned.BaseName) is { } directory)
        {
            (config, layers, key) = await LocalBaseAsync(stage, planned.BaseName, directory, platform, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            Oci.Storage.LocalImage image;
            try
            {
                image = await bases.ResolveAsync(NamedImage(planned.BaseName), session.Request.Pull, platform, cancellationToken).ConfigureAwait(false);
            }
            catch (BuildException e)
            {
                throw new DockerfileException(stage.Span, e.Message, e);
            }

            config = image.Config.Value;
            if (!session.Request.NamedContexts.ContainsKey(planned.BaseName))
            {
                // BuildKit checks the platform of images FROM resolves, not of those a named context supplies.
                session.Lint?.RecordBasePlatform(session, planned.BaseName, platform, stage.Platform is not null, config, stage.Span);
            }

            // As BuildKit's resolveBaseImage: with no --platform anywhere, a base for another platform the
            // machine runs makes the stage that platform's (RUN emulated, config and cache key its own);
            // TARGET* args stay the build's, as BuildKit's global args do.
            if (Emulators.AutoDetect(session.Plan, stage.Platform is not null, platform, config, session.Options.BinfmtDirectory) is { } detected)
            {
                platform = detected;
            }

            layers = [.. image.Layers.Select(l => l.MediaType == MediaTypes.DockerLayerGzip ? l with { MediaType = MediaTypes.OciLayerGzip } : l)];
            // The platform keeps amd64 and arm64 results apart even when a single-platform image stands in for both.
            key = CacheKey.Compute("", ["image", image.Manifest.Digest.ToString(), .. PlatformPart(platform)]);
        }

        if (planned.BaseStage is null)
        {
            session.Lint?.RecordBase(planned.BaseName, config);
        }

        return new StageState(config, layers, session.Plan.GlobalScope.EnterStage(ConfigEnvironment.Parse(config.Config.Env)), key) { Platform = platform };
    }

    private static async Task<Context.ISourceFileSystem> FromDirectoryAsync(Stage stage, string directory, CancellationToken cancellationToken)
    {
        try
        {
            return await NamedContexts.FileSystemAsync(directory, cancellationToken).ConfigureAwait(false);
        }
        catch (BuildException e)
        {
            throw new DockerfileException(stage.Span, e.Message, e);
        }
    }

    /// <summary>Native results keep the keys they had before foreign platforms were built; others name their platform.</summary>
    private static string[] PlatformPart(Platform platform) => BuildPlanner.IsNative(platform) && platform.Variant is null ? [] : ["platform=" + platform];

    /// <summary>BuildKit's emptyImage: what scratch and a directory base start from (no inherited config).</summary>
    private static ImageConfig EmptyConfig(Platform platform) => new ImageConfig
    {
        Config = new ContainerConfig { Env = ["PATH=" + RunHandler.DefaultPath] },
        RootFs = new RootFs(),
    }.WithPlatform(platform);

    /// <summary>--build-context NAME=docker-image://REF replaces an image FROM names, as in BuildKit.</summary>
    private string NamedImage(string baseName) =>
        session.Request.NamedContexts.TryGetValue(baseName, out var named) && NamedContexts.ImageReference(named) is { } image ? image : baseName;

    private string? LocalContext(string baseName) =>
        session.Request.NamedContexts.TryGetValue(baseName, out var named) ? NamedContexts.Directory(named) : null;

    /// <summary>
    /// FROM a named context that is a directory: as BuildKit's local source, its files (owned by 0:0, as
    /// the client sends them, less what its .dockerignore excludes) are the root filesystem, one layer,
    /// over an empty config. The layer is cached on the directory's content digest, so an unchanged
    /// directory is not written again. Its history entry comes first here; BuildKit's exporter appends
    /// the entries of layers without one at the end instead.
    /// </summary>
    private async Task<(ImageConfig Config, IReadOnlyList<Descriptor> Layers, string Key)> LocalBaseAsync(Stage stage, string name, string directory, Platform platform, CancellationToken cancellationToken)
    {
        await using var plan = await session.Copier.PlanAsync(new Execution.Copy.CopyRequest
        {
            Sources = ["."],
            Destination = "/",
            Source = await FromDirectoryAsync(stage, directory, cancellationToken).ConfigureAwait(false),
            SourceName = name,
            CreatedTime = session.Now(),
        }, cancellationToken).ConfigureAwait(false);
        var key = CacheKey.Compute("", ["local", plan.InputDigest, EpochPart, .. PlatformPart(platform)]);
        if (await session.Cache.TryGetAsync(key, cancellationToken).ConfigureAwait(false) is { } cached)
        {
            return (cached.Config, cached.Layers, key);
        }

        var empty = new StageState(EmptyConfig(platform), [], session.Plan.GlobalScope.EnterStage([]), "") { Platform = platform };
        var history = new History { Created = session.Now(), CreatedBy = "local source for " + name, Comment = "buildkit.exporter.image.v0" };
        var built = await session.Committer.CommitAsync(empty, plan.Entries, history, unpack: false, cancellationToken).ConfigureAwait(false);
        await session.Cache.StoreAsync(key, new CachedStep(built.Config, built.Layers), cancellationToken).ConfigureAwait(false);
        return (built.Config, built.Layers, key);
    }

    private static Instruction ParseTrigger(string trigger, SourceSpan span)
    {
        try
        {
            return BoundDockerfile.Load("FROM scratch\n" + trigger + "\n", span.File).Stages[0].Instructions[0];
        }
        catch (DockerfileException e)
        {
            throw new DockerfileException(span, $"invalid ONBUILD trigger \"{trigger}\": {e.Reason}", e);
        }
    }

    private string StageLabel(Stage stage) =>
        (session.PlatformLabel is { } platform ? platform + " " : "")
        + (stage.Name is not null ? stage.Name + " "
        : session.Plan.Dockerfile.Stages.Count > 1 ? "stage-" + stage.Index.ToString(CultureInfo.InvariantCulture) + " "
        : "");

    /// <summary>
    /// The step's name as BuildKit shows it: the instruction's first line with variables in scope
    /// expanded (processCmdEnv: quotes kept, unset variables left as written) and the keyword upper-cased.
    /// </summary>
    private string Display(Instruction instruction, StageState state)
    {
        var text = instruction.Original.Trim();
        var newline = text.IndexOf('\n', StringComparison.Ordinal);
        text = newline < 0 ? text : text[..newline].TrimEnd('\\', ' ');
        var lexer = new Dockerfile.Expansion.ShellLexer(session.Lexer.EscapeToken) { RawQuotes = true, SkipUnsetEnv = true };
        try
        {
            text = lexer.ProcessWord(text, state.Scope.Environment).Result;
        }
        catch (Dockerfile.Expansion.ExpansionException)
        {
            // BuildKit keeps the text as written when it does not expand.
        }

        var space = text.IndexOf(' ', StringComparison.Ordinal);
        return space < 0 ? text.ToUpperInvariant() : text[..space].ToUpperInvariant() + text[space..];
    }
}
