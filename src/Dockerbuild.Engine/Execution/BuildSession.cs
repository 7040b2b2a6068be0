using System.Diagnostics;
using Dockerbuild.Dockerfile.Expansion;
using Dockerbuild.Engine.Caching;
using Dockerbuild.Engine.Context;
using Dockerbuild.Engine.Execution.Copy;
using Dockerbuild.Engine.Planning;
using Dockerbuild.Engine.Runtime;
using Dockerbuild.Oci.Layers;
using Dockerbuild.Oci.Storage;

namespace Dockerbuild.Engine.Execution;

/// <summary>One build's shared state: the plan, the stores, the runtime, progress and the stages' results.</summary>
internal sealed class BuildSession
{
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private readonly Dictionary<int, Task<StageState>> stages = [];
    private int stepCounter;
    private int runCount;

    public BuildSession(BuildRequest request, BuildPlan plan, ImageStore store, BuildEngineOptions options, DateTimeOffset? sourceDateEpoch, FileHashCache hashes, HttpClient http)
    {
        Request = request;
        Plan = plan;
        Store = store;
        Options = options;
        SourceDateEpoch = sourceDateEpoch;
        StoreRoot = store.Blobs.Root;
        WorkRoot = StorePaths.Work(StoreRoot);
        Runtime = options.Runtime ?? new RuncRuntime();
        Layers = new ExtractedLayers(store.Blobs, StorePaths.Layers(StoreRoot));
        Committer = new LayerCommitter(store.Blobs, Layers, new GzipMemberCache(Path.Combine(StorePaths.GzipMembers(StoreRoot), "index.v1"), store.Blobs.PathOf), sourceDateEpoch);
        Cache = new StepCache(store.Blobs);
        Lexer = plan.GlobalScope.Lexer;
        Hashes = hashes;
        Contexts = new ContextLoader(request.ContextDirectory, request.ResolveDockerfilePath());
        Copier = new CopyPlanner(new ContentHasher(hashes), http, Path.Combine(WorkRoot, "copy"));
        Bases = new BaseImageResolver(store, options.Registry);
    }

    /// <summary>The build's one resolver of images (FROM, COPY --from, RUN --mount from=), so each is pulled once per build.</summary>
    public BaseImageResolver Bases { get; }

    /// <summary>The build checks, run when the stages are built; null when not asked for.</summary>
    public BuildLint? Lint { get; init; }

    /// <summary>Content digests of context files kept across builds, saved when the build ends.</summary>
    public FileHashCache Hashes { get; }

    public CopyPlanner Copier { get; }

    /// <summary>Where <see cref="ContextAsync"/> comes from; one per build, however many platforms it builds.</summary>
    public ContextLoader Contexts { get; init; }

    /// <summary>The build context with its .dockerignore, loaded once, when a step first reads it.</summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public Task<BuildContext> ContextAsync(CancellationToken cancellationToken) => Contexts.GetAsync(cancellationToken);

    public BuildRequest Request { get; }

    public BuildPlan Plan { get; }

    public ImageStore Store { get; }

    public BuildEngineOptions Options { get; }

    public DateTimeOffset? SourceDateEpoch { get; }

    public string StoreRoot { get; }

    /// <summary>Snapshots and per-RUN private files; on the store's filesystem so overlay upperdirs are on a real one.</summary>
    public string WorkRoot { get; }

    public IOciRuntime Runtime { get; }

    public ExtractedLayers Layers { get; }

    public LayerCommitter Committer { get; }

    public StepCache Cache { get; }

    public ShellLexer Lexer { get; }

    public TimeSpan Elapsed => clock.Elapsed;

    /// <summary>How many RUN steps actually ran (not taken from the cache).</summary>
    public int RunCount => Volatile.Read(ref runCount);

    public int NextStep() => Interlocked.Increment(ref stepCounter);

    /// <summary>The steps numbered so far, this build's and those before it.</summary>
    public int StepCount => Volatile.Read(ref stepCounter);

    /// <summary>Steps already numbered by the platforms built before this one, so a multi-platform build's #N never repeat.</summary>
    public int StepsBefore
    {
        init => stepCounter = value;
    }

    /// <summary>
    /// The platform this session builds when the build makes several: BuildKit then starts every step's
    /// name with it (<c>[linux/arm64 2/3] RUN ...</c>). Null for a single-platform build.
    /// </summary>
    public string? PlatformLabel { get; init; }

    public void CountRun() => Interlocked.Increment(ref runCount);

    public void Report(BuildEvent buildEvent) => Options.Progress?.Report(buildEvent);

    /// <summary>Registers a stage's build; the plan's order makes sure dependencies are registered first.</summary>
    public void Register(int stageIndex, Task<StageState> build)
    {
        lock (stages)
        {
            stages[stageIndex] = build;
        }
    }

    public Task<StageState> StageResultAsync(int stageIndex)
    {
        lock (stages)
        {
            return stages.TryGetValue(stageIndex, out var build)
                ? build
                : throw new InvalidOperationException($"stage {stageIndex} is not part of the plan");
        }
    }

    public DateTimeOffset Now() => SourceDateEpoch ?? DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());
}
