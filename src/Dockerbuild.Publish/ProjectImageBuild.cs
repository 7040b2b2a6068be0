using System.IO.Compression;
using Dockerbuild.Dockerfile.Instructions;
using Dockerbuild.Dockerfile.Syntax;
using Dockerbuild.Engine.Execution;
using Dockerbuild.Engine.Planning;
using Dockerbuild.Oci;
using Dockerbuild.Oci.Archive;
using Dockerbuild.Oci.Registry;
using Dockerbuild.Oci.Storage;
using Dockerbuild.Publish.Diagnostics;
using Dockerbuild.Publish.Incremental;
using Dockerbuild.Publish.Logging;

namespace Dockerbuild.Publish;

/// <summary>
/// The image build of <c>dotnet publish</c>: builds the project's Dockerfile with the engine (RUN in runc),
/// tags the image in the local store, pushes it when a registry is given and writes a docker-archive
/// tar.gz when asked. A build whose inputs match the stamp of the last one is skipped and its result
/// reused. Every failure ends as one coded error in the log; cancelling kills the running container.
/// </summary>
public static class ProjectImageBuild
{
    /// <summary>The named context that holds the publish output (<c>COPY --from=publish / /app/</c>).</summary>
    public const string PublishContext = "publish";

    /// <summary>The image, or null when the build failed (the errors are in <paramref name="log"/>).</summary>
    public static async Task<ProjectImageResult?> RunAsync(ProjectImageRequest request, IBuildLog log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var diagnostics = new DiagnosticLog(log);
        var dockerfile = Path.GetFullPath(request.Dockerfile);
        var steps = new StepLog(diagnostics, dockerfile);
        try
        {
            return await BuildAsync(request, diagnostics, dockerfile, steps, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            diagnostics.Error(DiagnosticCodes.Cancelled, DiagnosticLocation.None, "the image build was cancelled");
            return null;
        }
        catch (Exception e) when (BuildFailure.From(e, steps.FailedStep, dockerfile) is { } failure)
        {
            diagnostics.Error(failure.Code, failure.Location, failure.Message);
            return null;
        }
        catch (Exception e)
        {
            // A bug of ours: one coded line, the stack trace for a bug report at detailed verbosity.
            diagnostics.Error(DiagnosticCodes.InternalError, DiagnosticLocation.OfFile(dockerfile), $"internal error, please report it: {e.GetType().Name}: {e.Message}");
            diagnostics.Message(LogImportance.Low, e.ToString());
            return null;
        }
    }

    private static async Task<ProjectImageResult?> BuildAsync(ProjectImageRequest request, DiagnosticLog diagnostics, string dockerfile, StepLog steps, CancellationToken cancellationToken)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        if (!OperatingSystem.IsLinux())
        {
            diagnostics.Error(DiagnosticCodes.PlatformNotSupported, DiagnosticLocation.None, "Dockerbuild builds images on Linux only (runc and overlayfs); run dotnet publish in Linux or WSL.");
            return null;
        }

        if (!File.Exists(dockerfile))
        {
            diagnostics.Error(DiagnosticCodes.DockerfileNotFound, DiagnosticLocation.OfFile(dockerfile), "the Dockerfile does not exist: add one beside the project, set DockerfileFile, or set EnableDockerbuild=false");
            return null;
        }

        if (ImageNames(request, diagnostics) is not { } names)
        {
            return null;
        }

        var archive = request.ArchiveOutputPath.Length > 0 ? Path.GetFullPath(request.ArchiveOutputPath) : null;
        var dockerfileText = await File.ReadAllTextAsync(dockerfile, cancellationToken).ConfigureAwait(false);
        var bound = DockerfileBinder.Bind(DockerfileParser.Parse(dockerfileText, Path.GetFileName(dockerfile)));
        var build = new BuildRequest
        {
            ContextDirectory = Path.GetFullPath(request.ContextDirectory),
            DockerfilePath = dockerfile,
            Target = request.Target.Length > 0 ? request.Target : null,
            BuildArgs = new Dictionary<string, string>(request.BuildArgs, StringComparer.Ordinal),
            Labels = new Dictionary<string, string>(request.Labels, StringComparer.Ordinal),
            NamedContexts = NamedContexts(request, bound, diagnostics),
            Secrets = [.. request.Secrets.Select(s => Secret(request, s))],
            Tags = [.. names.Select(n => n.ToString())],
            NoCache = request.NoCache,
            Outputs = request.Registry.Length > 0 ? ["type=registry"] : [],
        };
        Timing(diagnostics, "Dockerfile parsed", clock);

        // The store, the registry options and docker's credentials exactly as the dockerbuild CLI reads them.
        var store = new ImageStore(new BlobStore(request.StoreRoot.Length > 0 ? Path.GetFullPath(request.StoreRoot) : StoreRoot.Resolve()));
        var stampFile = request.StampFile.Length > 0 ? Path.GetFullPath(request.StampFile) : null;
        var inputs = stampFile is null ? null : await ImageStamp.ComputeKeyAsync(build, [archive ?? ""], request.StampExcludedDirectory.Length > 0 ? request.StampExcludedDirectory : Path.GetDirectoryName(stampFile), cancellationToken).ConfigureAwait(false);
        Timing(diagnostics, "inputs hashed for the stamp", clock);
        var bases = inputs is null ? null : await ImageStamp.BasesAsync(bound, build, store, cancellationToken).ConfigureAwait(false);
        if (!request.NoCache && inputs is not null && await UpToDateAsync(stampFile!, ImageStamp.WithBases(inputs, bases!), store, names, archive, cancellationToken).ConfigureAwait(false) is { } stamp)
        {
            diagnostics.Message(LogImportance.Normal, $"Image up to date (the Dockerfile, its contexts, base images and settings have not changed): {stamp.ManifestDigest}");
            return Finish(request, diagnostics, names, stamp.ManifestDigest, stamp.ConfigDigest);
        }

        Timing(diagnostics, "stamp compared", clock);
        using var registry = new RegistryClient(RegistryClientOptions.FromEnvironment());
        var builder = new ImageBuilder(store, new BuildEngineOptions
        {
            Registry = registry,
            Progress = steps,
            PushProgress = new PushLog(diagnostics.Log),
            // DockerfileCheck already reported the findings during the build that precedes the publish.
            RunChecks = false,
        });
        if (request.Registry.Length > 0)
        {
            diagnostics.Message(LogImportance.Normal, $"Building {build.Tags[0]}, then pushing it to {request.Registry}");
        }

        var result = await builder.BuildAsync(build, cancellationToken).ConfigureAwait(false);
        Timing(diagnostics, "built and pushed", clock);
        if (archive is not null)
        {
            await WriteArchiveAsync(archive, store, result, cancellationToken).ConfigureAwait(false);
            diagnostics.Message(LogImportance.Normal, $"Wrote {archive}");
        }

        diagnostics.Message(LogImportance.Normal, $"Image {result.ManifestDigest}: {steps.Executed} steps built, {steps.Cached} cached");
        foreach (var name in request.Registry.Length > 0 ? names : [])
        {
            diagnostics.Message(LogImportance.Normal, $"Pushed {name}");
        }

        if (stampFile is not null && inputs is not null)
        {
            // The bases as they are now: only one the build had to pull reads differently than before it.
            if (bases is null || bases.Any(ImageStamp.IsMissing))
            {
                bases = await ImageStamp.BasesAsync(bound, build, store, cancellationToken).ConfigureAwait(false);
            }

            var key = ImageStamp.WithBases(inputs, bases);
            new ImageStamp(key, result.ManifestDigest.ToString(), result.ConfigDigest.ToString(), build.Tags).Write(stampFile);
            Timing(diagnostics, "stamp written", clock);
        }

        return Finish(request, diagnostics, names, result.ManifestDigest.ToString(), result.ConfigDigest.ToString());
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

    /// <summary>Where the build's time goes, at detailed verbosity.</summary>
    private static void Timing(DiagnosticLog diagnostics, string phase, System.Diagnostics.Stopwatch clock) =>
        diagnostics.Message(LogImportance.Low, $"Dockerbuild: {phase} at {clock.ElapsedMilliseconds} ms");

    /// <summary>registry/repository:tag for each tag; null (and an error logged) when one is not a valid reference.</summary>
    private static List<ImageReference>? ImageNames(ProjectImageRequest request, DiagnosticLog diagnostics)
    {
        var names = new List<ImageReference>();
        var repository = request.Registry.Length > 0 ? request.Registry.TrimEnd('/') + "/" + request.Repository : request.Repository;
        foreach (var tag in request.Tags.Select(t => t.Trim()).Where(t => t.Length > 0).Distinct(StringComparer.Ordinal))
        {
            if (!ImageReference.TryParse(repository + ":" + tag, out var name) || name.Tag != tag)
            {
                diagnostics.Error(DiagnosticCodes.InvalidSetting, DiagnosticLocation.None,
                    $"'{repository}:{tag}' is not a valid image name: ContainerRegistry must be a host[:port], ContainerRepository lower-case path components ([a-z0-9] separated by '.', '_', '__' or '-'), and a tag up to 128 of [A-Za-z0-9_.-], not starting with '.' or '-'");
                return null;
            }

            names.Add(name);
        }

        if (names.Count == 0)
        {
            diagnostics.Error(DiagnosticCodes.InvalidSetting, DiagnosticLocation.None, "no image tag: set ContainerImageTag or ContainerImageTags");
            return null;
        }

        return names;
    }

    private static string BaseDirectory(ProjectImageRequest request) =>
        request.ProjectDirectory.Length > 0 ? request.ProjectDirectory : Environment.CurrentDirectory;

    private static Dictionary<string, string> NamedContexts(ProjectImageRequest request, BoundDockerfile dockerfile, DiagnosticLog diagnostics)
    {
        var contexts = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in request.BuildContexts)
        {
            contexts[name] = value.StartsWith("docker-image://", StringComparison.Ordinal) ? value : Path.GetFullPath(value, BaseDirectory(request));
        }

        if (request.PublishDirectory.Length > 0 && !contexts.ContainsKey(PublishContext))
        {
            if (dockerfile.FindStage(PublishContext) is { } stage)
            {
                diagnostics.Message(LogImportance.Normal, $"The Dockerfile has a stage named '{PublishContext}' (line {stage.Span.StartLine}): it is built as written, and the publish output is not given as a named context");
            }
            else
            {
                contexts[PublishContext] = Path.GetFullPath(request.PublishDirectory);
            }
        }

        return contexts;
    }

    /// <summary>buildx's rules: the given variable or file, else the variable named as the ID if set, else the file.</summary>
    private static BuildSecret Secret(ProjectImageRequest request, ProjectImageSecret secret) =>
        secret.EnvironmentVariable.Length == 0 && secret.File.Length == 0
            ? BuildSecret.Parse("id=" + secret.Id)
            : new BuildSecret(secret.Id, secret.File.Length > 0 ? Path.GetFullPath(secret.File, BaseDirectory(request)) : null, secret.EnvironmentVariable.Length > 0 ? secret.EnvironmentVariable : null);

    /// <summary>
    /// The result, and one high-importance line in the form the SDK uses for outputs (<c>App -> ...</c>),
    /// which the terminal logger shows as the project's result.
    /// </summary>
    private static ProjectImageResult Finish(ProjectImageRequest request, DiagnosticLog diagnostics, IReadOnlyList<ImageReference> names, string manifestDigest, string configDigest)
    {
        var pushed = request.Registry.Length > 0;
        var shown = pushed ? names[0].ToString() : names[0].FamiliarString;
        diagnostics.Message(LogImportance.High, $"{(request.ProjectName.Length > 0 ? request.ProjectName : request.Repository)} -> {shown}@{manifestDigest}");
        return new ProjectImageResult(manifestDigest, configDigest, [.. names.Select(name => new ProjectImageName(
            name.ToString(),
            pushed ? name.Registry : "",
            pushed ? name.Repository : request.Repository,
            name.Tag ?? ImageReference.DefaultTag))]);
    }

    /// <summary>A gzip-compressed docker-archive, written whole or not at all.</summary>
    private static async Task WriteArchiveAsync(string path, ImageStore store, BuildResult result, CancellationToken cancellationToken)
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
