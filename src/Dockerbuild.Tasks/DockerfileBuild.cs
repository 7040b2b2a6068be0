using Dockerbuild.Publish;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using Task = Microsoft.Build.Utilities.Task;

namespace Dockerbuild.Tasks;

/// <summary>
/// <c>dotnet publish</c>: builds the image from the Dockerfile with the engine (RUN in runc), in the
/// package's native host where it has one for this machine, else in the MSBuild process; it
/// tags the image in the local store, pushes it when a registry is given and writes a docker-archive tar.gz when
/// asked. A build whose inputs match the stamp of the last one is skipped and its result reused.
/// Ctrl+C cancels the build, which kills the running container.
/// </summary>
public sealed class DockerfileBuild : Task, ICancelableTask
{
    // Not disposed: MSBuild may call Cancel from another thread after Execute has returned.
    private readonly CancellationTokenSource cancellation = new();

    /// <summary>
    /// Run the build in the package's native host (the default where the package has one for this
    /// machine); false runs it in the MSBuild process. Both build the same image and log the same lines.
    /// </summary>
    public bool UseNativeHost { get; set; } = true;

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
        var request = new ProjectImageRequest
        {
            Dockerfile = Dockerfile,
            ContextDirectory = ContextDirectory,
            ProjectDirectory = ProjectDirectory,
            ProjectName = ProjectName,
            Target = Target,
            BuildArgs = TaskItems.Pairs(BuildArgs),
            BuildContexts = TaskItems.Pairs(BuildContexts),
            PublishDirectory = PublishDirectory,
            Secrets = [.. Secrets.Select(s => new ProjectImageSecret(s.ItemSpec, s.GetMetadata("EnvironmentVariable"), s.GetMetadata("File")))],
            Labels = TaskItems.Pairs(Labels),
            Registry = Registry,
            Repository = Repository,
            Tags = [.. Tags.Select(t => t.ItemSpec)],
            ArchiveOutputPath = ArchiveOutputPath,
            NoCache = NoCache,
            StoreRoot = StoreRoot,
            StampFile = StampFile,
            StampExcludedDirectory = StampExcludedDirectory,
        };
        var log = new MsBuildLog(Log);
        ProjectImageResult? result = null;
        var host = UseNativeHost ? NativeHost.Find() : null;
        if (host is not null)
        {
            Log.LogMessage(MessageImportance.Low, "Dockerbuild: building in the native host {0}", host);
        }

        if (host is null || !NativeHost.TryRun(host, request, log, cancellation.Token, out result))
        {
            Log.LogMessage(MessageImportance.Low, "Dockerbuild: building in the MSBuild process");
            // The one place the build is waited for: MSBuild calls tasks synchronously.
            result = ProjectImageBuild.RunAsync(request, log, cancellation.Token).GetAwaiter().GetResult();
        }

        if (result is null)
        {
            return false;
        }

        ImageDigest = result.ManifestDigest;
        ImageId = result.ConfigDigest;
        Images = [.. result.Images.Select(image =>
        {
            var item = new TaskItem(image.Name);
            item.SetMetadata("Registry", image.Registry);
            item.SetMetadata("Repository", image.Repository);
            item.SetMetadata("Tag", image.Tag);
            item.SetMetadata("ManifestDigest", result.ManifestDigest);
            item.SetMetadata("ImageId", result.ConfigDigest);
            return (ITaskItem)item;
        })];
        return !Log.HasLoggedErrors;
    }
}
