using System.IO.Compression;
using Dockerbuild.Dockerfile.Instructions;
using Dockerbuild.Dockerfile.Syntax;
using Dockerbuild.Engine.Execution;
using Dockerbuild.Engine.Planning;
using Dockerbuild.Oci;
using Dockerbuild.Oci.Archive;
using Dockerbuild.Oci.Registry;
using Dockerbuild.Oci.Storage;
using Dockerbuild.Tasks.Diagnostics;
using Dockerbuild.Tasks.Incremental;
using Dockerbuild.Tasks.Logging;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using Task = Microsoft.Build.Utilities.Task;

namespace Dockerbuild.Tasks;

/// <summary>
/// <c>dotnet publish</c>: builds the image from the Dockerfile in-process with the engine (RUN in runc),
/// tags it in the local store, pushes it when a registry is given and writes a docker-archive tar.gz when
/// asked. A build whose inputs match the stamp of the last one is skipped and its result reused.
/// Ctrl+C cancels the build, which kills the running container.
/// </summary>
public sealed class DockerfileBuild : Task, ICancelableTask
{
    /// <summary>The named context that holds the publish output (<c>COPY --from=publish / /app/</c>).</summary>
    public const string PublishContext = "publish";

    // Not disposed: MSBuild may call Cancel from another thread after Execute has returned.
    private readonly CancellationTokenSource cancellation = new();

    [Required]
    public string Dockerfile { get; set; } = "";

    [Required]
    public string ContextDirectory { get; set; } = "";

    /// <summary>The directory relative paths of named contexts are resolved against (the project's).</summary>
    public string ProjectDirectory { get; set; } = "";

    /// <summary>The project's name, for the <c>Project -> image</c> summary line.</summary>
    public string ProjectName { get; set; } = "";

    /// <summary>The stage to build (<c>--target</c>); the last one when empty.</summary>
    public string Target { get; set; } = "";

    /// <summary>Include=NAME Value=VALUE (<c>--build-arg</c>).</summary>
    public ITaskItem[] BuildArgs { get; set; } = [];

    /// <summary>Include=NAME Value=DIRECTORY or docker-image://REF (<c>--build-context</c>).</summary>
    public ITaskItem[] BuildContexts { get; set; } = [];

    /// <summary>
    /// The publish output, given to the Dockerfile as the named context <c>publish</c> unless a
    /// DockerfileBuildContext item names one, or the Dockerfile has a stage of that name (Visual Studio's
    /// Dockerfiles publish in a stage called so, which a named context would replace).
    /// </summary>
    public string PublishDirectory { get; set; } = "";

    /// <summary>
    /// Include=ID with EnvironmentVariable=NAME or File=PATH (<c>--secret</c>): only the variable's name or
    /// the file's path pass through MSBuild, so the value never reaches a log; RUN --mount=type=secret reads it.
    /// </summary>
    public ITaskItem[] Secrets { get; set; } = [];

    /// <summary>Include=KEY Value=VALUE (<c>--label</c>).</summary>
    public ITaskItem[] Labels { get; set; } = [];

    /// <summary>ContainerRegistry: the image is pushed there when set.</summary>
    public string Registry { get; set; } = "";

    [Required]
    public string Repository { get; set; } = "";

    [Required]
    public ITaskItem[] Tags { get; set; } = [];

    /// <summary>A docker-archive tar.gz to write (<c>docker load</c> reads it).</summary>
    public string ArchiveOutputPath { get; set; } = "";

    public bool NoCache { get; set; }

    /// <summary>The local store's directory; DOCKERBUILD_ROOT or the XDG data directory when empty, as the CLI.</summary>
    public string StoreRoot { get; set; } = "";

    /// <summary>Where the stamp of the last build lives (under obj/); no incremental skip when empty.</summary>
    public string StampFile { get; set; } = "";

    /// <summary>A directory of the context whose files do not count as inputs for the stamp (the project's obj/).</summary>
    public string StampExcludedDirectory { get; set; } = "";

    /// <summary>The image manifest's digest.</summary>
    [Output]
    public string ImageDigest { get; private set; } = "";

    /// <summary>The image config's digest (docker's image ID).</summary>
    [Output]
    public string ImageId { get; private set; } = "";

    /// <summary>One item per name (registry/repository:tag) with Registry, Repository, Tag, ManifestDigest and ImageId metadata.</summary>
    [Output]
    public ITaskItem[] Images { get; private set; } = [];

    public void Cancel() => cancellation.Cancel();

    public override bool Execute()
    {
        var diagnostics = new DiagnosticLog(Log);
        var dockerfile = Path.GetFullPath(Dockerfile);
        var steps = new StepLog(diagnostics, dockerfile);
        try
        {
            // The one place the engine's async work is waited for: MSBuild calls tasks synchronously.
            return ExecuteAsync(diagnostics, dockerfile, steps, cancellation.Token).GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            diagnostics.Error(DiagnosticCodes.Cancelled, DiagnosticLocation.None, "the image build was cancelled");
            return false;
        }
        catch (Exception e) when (BuildFailure.From(e, steps.FailedStep, dockerfile) is { } failure)
        {
            diagnostics.Error(failure.Code, failure.Location, failure.Message);
            return false;
        }
        catch (Exception e)
        {
            // A bug of ours: one coded line, the stack trace for a bug report at detailed verbosity.
            diagnostics.Error(DiagnosticCodes.InternalError, DiagnosticLocation.OfFile(dockerfile), $"internal error, please report it: {e.GetType().Name}: {e.Message}");
            Log.LogMessage(MessageImportance.Low, "{0}", e.ToString());
            return false;
        }
    }

    private async Task<bool> ExecuteAsync(DiagnosticLog diagnostics, string dockerfile, StepLog steps, CancellationToken cancellationToken)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        if (!OperatingSystem.IsLinux())
        {
            diagnostics.Error(DiagnosticCodes.PlatformNotSupported, DiagnosticLocation.None, "Dockerbuild builds images on Linux only (runc and overlayfs); run dotnet publish in Linux or WSL.");
            return false;
        }

        if (!File.Exists(dockerfile))
        {
            diagnostics.Error(DiagnosticCodes.DockerfileNotFound, DiagnosticLocation.OfFile(dockerfile), "the Dockerfile does not exist: add one beside the project, set DockerfileFile, or set EnableDockerbuild=false");
            return false;
        }

        if (ImageNames() is not { } names)
        {
            return false;
        }

        var archive = ArchiveOutputPath.Length > 0 ? Path.GetFullPath(ArchiveOutputPath) : null;
        var dockerfileText = await File.ReadAllTextAsync(dockerfile, cancellationToken).ConfigureAwait(false);
        var bound = DockerfileBinder.Bind(DockerfileParser.Parse(dockerfileText, Path.GetFileName(dockerfile)));
        var request = new BuildRequest
        {
            ContextDirectory = Path.GetFullPath(ContextDirectory),
            DockerfilePath = dockerfile,
            Target = Target.Length > 0 ? Target : null,
            BuildArgs = TaskItems.Pairs(BuildArgs),
            Labels = TaskItems.Pairs(Labels),
            NamedContexts = NamedContexts(bound),
            Secrets = [.. Secrets.Select(Secret)],
            Tags = [.. names.Select(n => n.ToString())],
            NoCache = NoCache,
            Outputs = Registry.Length > 0 ? ["type=registry"] : [],
        };
        Timing("Dockerfile parsed", clock);

        // The store, the registry options and docker's credentials exactly as the dockerbuild CLI reads them.
        var store = new ImageStore(new BlobStore(StoreRoot.Length > 0 ? Path.GetFullPath(StoreRoot) : Oci.Storage.StoreRoot.Resolve()));
        var stampFile = StampFile.Length > 0 ? Path.GetFullPath(StampFile) : null;
        var inputs = stampFile is null ? null : await ImageStamp.ComputeKeyAsync(request, [archive ?? ""], StampExcludedDirectory.Length > 0 ? StampExcludedDirectory : Path.GetDirectoryName(stampFile), cancellationToken).ConfigureAwait(false);
        Timing("inputs hashed for the stamp", clock);
        var bases = inputs is null ? null : await ImageStamp.BasesAsync(bound, request, store, cancellationToken).ConfigureAwait(false);
        if (!NoCache && inputs is not null && await UpToDateAsync(stampFile!, ImageStamp.WithBases(inputs, bases!), store, names, archive, cancellationToken).ConfigureAwait(false) is { } stamp)
        {
            Log.LogMessage(MessageImportance.Normal, "Image up to date (the Dockerfile, its contexts, base images and settings have not changed): {0}", stamp.ManifestDigest);
            SetOutputs(stamp.ManifestDigest, stamp.ConfigDigest, names);
            Summary(names, stamp.ManifestDigest);
            return true;
        }

        Timing("stamp compared", clock);
        using var registry = new RegistryClient(RegistryClientOptions.FromEnvironment());
        var builder = new ImageBuilder(store, new BuildEngineOptions
        {
            Registry = registry,
            Progress = steps,
            PushProgress = new PushLog(Log),
            // DockerfileCheck already reported the findings during the build that precedes the publish.
            RunChecks = false,
        });
        if (Registry.Length > 0)
        {
            Log.LogMessage(MessageImportance.Normal, "Building {0}, then pushing it to {1}", request.Tags[0], Registry);
        }

        var result = await builder.BuildAsync(request, cancellationToken).ConfigureAwait(false);
        Timing("built and pushed", clock);
        if (archive is not null)
        {
            await WriteArchiveAsync(archive, store, result, cancellationToken).ConfigureAwait(false);
            Log.LogMessage(MessageImportance.Normal, "Wrote {0}", archive);
        }

        Log.LogMessage(MessageImportance.Normal, "Image {0}: {1} steps built, {2} cached", result.ManifestDigest, steps.Executed, steps.Cached);
        foreach (var name in Registry.Length > 0 ? names : [])
        {
            Log.LogMessage(MessageImportance.Normal, "Pushed {0}", name);
        }

        if (stampFile is not null && inputs is not null)
        {
            // The bases as they are now: only one the build had to pull reads differently than before it.
            if (bases is null || bases.Any(ImageStamp.IsMissing))
            {
                bases = await ImageStamp.BasesAsync(bound, request, store, cancellationToken).ConfigureAwait(false);
            }

            var key = ImageStamp.WithBases(inputs, bases);
            new ImageStamp(key, result.ManifestDigest.ToString(), result.ConfigDigest.ToString(), request.Tags).Write(stampFile);
            Timing("stamp written", clock);
        }

        SetOutputs(result.ManifestDigest.ToString(), result.ConfigDigest.ToString(), names);
        Summary(names, result.ManifestDigest.ToString());
        return true;
    }

    /// <summary>
    /// The stamp of the last build when it still stands for what this build would make: the same inputs,
    /// every name still on that image in the local store (no rmi, no other build's tag since), the
    /// archive still there. Null means build.
    /// </summary>
    private static async Task<ImageStamp?> UpToDateAsync(string stampFile, string key, ImageStore store,
        IReadOnlyList<ImageReference> names, string? archive, CancellationToken cancellationToken)
    {
        if (ImageStamp.TryRead(stampFile) is not { } stamp
            || stamp.Key != key
            || (archive is not null && !File.Exists(archive)))
        {
            return null;
        }

        foreach (var name in names)
        {
            if ((await store.FindAsync(name.ToString(), cancellationToken).ConfigureAwait(false))?.ManifestDigest.ToString() != stamp.ManifestDigest)
            {
                return null;
            }
        }

        return stamp;
    }

    /// <summary>Where the task's time goes, at detailed verbosity.</summary>
    private void Timing(string phase, System.Diagnostics.Stopwatch clock) =>
        Log.LogMessage(MessageImportance.Low, "Dockerbuild: {0} at {1} ms", phase, clock.ElapsedMilliseconds);

    /// <summary>registry/repository:tag for each tag; null (and an error logged) when one is not a valid reference.</summary>
    private List<ImageReference>? ImageNames()
    {
        var names = new List<ImageReference>();
        var repository = Registry.Length > 0 ? Registry.TrimEnd('/') + "/" + Repository : Repository;
        foreach (var tag in Tags.Select(t => t.ItemSpec.Trim()).Where(t => t.Length > 0).Distinct(StringComparer.Ordinal))
        {
            if (!ImageReference.TryParse(repository + ":" + tag, out var name) || name.Tag != tag)
            {
                new DiagnosticLog(Log).Error(DiagnosticCodes.InvalidSetting, DiagnosticLocation.None,
                    $"'{repository}:{tag}' is not a valid image name: ContainerRegistry must be a host[:port], ContainerRepository lower-case path components ([a-z0-9] separated by '.', '_', '__' or '-'), and a tag up to 128 of [A-Za-z0-9_.-], not starting with '.' or '-'");
                return null;
            }

            names.Add(name);
        }

        if (names.Count == 0)
        {
            new DiagnosticLog(Log).Error(DiagnosticCodes.InvalidSetting, DiagnosticLocation.None, "no image tag: set ContainerImageTag or ContainerImageTags");
            return null;
        }

        return names;
    }

    private Dictionary<string, string> NamedContexts(BoundDockerfile dockerfile)
    {
        var contexts = TaskItems.Pairs(BuildContexts);
        foreach (var (name, value) in contexts.ToList())
        {
            if (!value.StartsWith("docker-image://", StringComparison.Ordinal))
            {
                contexts[name] = Path.GetFullPath(value, ProjectDirectory.Length > 0 ? ProjectDirectory : Environment.CurrentDirectory);
            }
        }

        if (PublishDirectory.Length > 0 && !contexts.ContainsKey(PublishContext))
        {
            if (dockerfile.FindStage(PublishContext) is { } stage)
            {
                Log.LogMessage(MessageImportance.Normal, "The Dockerfile has a stage named '{0}' (line {1}): it is built as written, and the publish output is not given as a named context", PublishContext, stage.Span.StartLine);
            }
            else
            {
                contexts[PublishContext] = Path.GetFullPath(PublishDirectory);
            }
        }

        return contexts;
    }

    /// <summary>buildx's rules: the given variable or file, else the variable named as the ID if set, else the file.</summary>
    private BuildSecret Secret(ITaskItem item)
    {
        var variable = item.GetMetadata("EnvironmentVariable");
        var file = item.GetMetadata("File");
        return variable.Length == 0 && file.Length == 0
            ? BuildSecret.Parse("id=" + item.ItemSpec)
            : new BuildSecret(item.ItemSpec, file.Length > 0 ? Path.GetFullPath(file, ProjectDirectory.Length > 0 ? ProjectDirectory : Environment.CurrentDirectory) : null, variable.Length > 0 ? variable : null);
    }

    private void SetOutputs(string manifestDigest, string configDigest, IReadOnlyList<ImageReference> names)
    {
        ImageDigest = manifestDigest;
        ImageId = configDigest;
        Images = [.. names.Select(name =>
        {
            var item = new TaskItem(name.ToString());
            item.SetMetadata("Registry", Registry.Length > 0 ? name.Registry : "");
            item.SetMetadata("Repository", Registry.Length > 0 ? name.Repository : Repository);
            item.SetMetadata("Tag", name.Tag ?? ImageReference.DefaultTag);
            item.SetMetadata("ManifestDigest", manifestDigest);
            item.SetMetadata("ImageId", configDigest);
            return (ITaskItem)item;
        })];
    }

    /// <summary>
    /// One high-importance line in the form the SDK uses for outputs (<c>App -> ...</c>), which the
    /// terminal logger shows as the project's result.
    /// </summary>
    private void Summary(IReadOnlyList<ImageReference> names, string manifestDigest)
    {
        var shown = Registry.Length > 0 ? names[0].ToString() : names[0].FamiliarString;
        Log.LogMessage(MessageImportance.High, "{0} -> {1}@{2}", ProjectName.Length > 0 ? ProjectName : Repository, shown, manifestDigest);
    }

    /// <summary>A gzip-compressed docker-archive, written whole or not at all.</summary>
    private static async System.Threading.Tasks.Task WriteArchiveAsync(string path, ImageStore store, BuildResult result, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        try
        {
            await using (var file = File.Create(temporary))
            await using (var gzip = new GZipStream(file, CompressionLevel.Fastest))
            {
                await DockerArchive.WriteAsync(gzip, store.Blobs, [new NamedImage(result.Manifest, result.Tags)], cancellationToken).ConfigureAwait(false);
            }

            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
