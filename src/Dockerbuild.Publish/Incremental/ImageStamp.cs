using System.Security.Cryptography;
using System.Text;
using Dockerbuild.Dockerfile.Instructions;
using Dockerbuild.Engine.Context;
using Dockerbuild.Engine.Planning;
using Dockerbuild.Oci.Layers;
using Dockerbuild.Oci.Storage;

namespace Dockerbuild.Publish.Incremental;

/// <summary>
/// What the last image build of a project was made from and what it produced, kept under obj/. The key
/// is a SHA-256 over every input: the package version, the Dockerfile's bytes, the build context and each
/// named context (every path the .dockerignore lets through, with type, mode, size, modification time and
/// link target), every setting of the request, and what each external base image names in the local
/// store (<see cref="WithBases"/>). Equal keys mean an identical build, so the build is skipped and the
/// recorded result reused. Directory times are left out: adding or removing a file
/// already changes the list, and writing this stamp changes its directory's time.
/// </summary>
internal sealed record ImageStamp(string Key, string ManifestDigest, string ConfigDigest, IReadOnlyList<string> Names)
{
    private const string Format = "dockerbuild-stamp-1";
    private const string ImageScheme = "docker-image://";

    /// <summary>
    /// The final key: <paramref name="inputs"/> (from <see cref="ComputeKeyAsync"/>) with each external
    /// base as the local store resolves it (its manifest digest, or "missing" before a first pull).
    /// </summary>
    public static string WithBases(string inputs, IEnumerable<string> bases)
    {
        var text = new StringBuilder(inputs);
        foreach (var line in bases)
        {
            text.Append('\0').Append(line);
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    /// <summary>
    /// The external base images of the stages <paramref name="request"/> builds, each as the local store
    /// resolves it now: a re-imported or re-pulled base (the same tag, a new image) changes the key.
    /// Images the build will pull read "missing" until then; the stamp written after the build records
    /// them as pulled, so the next build with the same inputs is skipped.
    /// </summary>
    public static async Task<IReadOnlyList<string>> BasesAsync(BoundDockerfile dockerfile, BuildRequest request, ImageStore store, CancellationToken cancellationToken)
    {
        var plan = BuildPlanner.Plan(dockerfile, request);
        var bases = new List<string>();
        foreach (var name in plan.Stages.Where(s => s.BaseStage is null).Select(s => s.BaseName).Distinct(StringComparer.Ordinal))
        {
            if (string.Equals(name, "scratch", StringComparison.OrdinalIgnoreCase) || request.NamedContexts.ContainsKey(name))
            {
                continue;
            }

            bases.Add(await BaseLineAsync(store, name, cancellationToken).ConfigureAwait(false));
        }

        return bases;
    }

    /// <summary><c>name=manifest digest</c> as the local store resolves the name now, <c>name=missing</c> when it does not.</summary>
    public static async Task<string> BaseLineAsync(ImageStore store, string name, CancellationToken cancellationToken)
    {
        var found = await store.FindAsync(name, cancellationToken).ConfigureAwait(false);
        return $"{name}={found?.ManifestDigest.ToString() ?? Missing}";
    }

    /// <summary>Whether a <see cref="BaseLineAsync"/> line is of a base the local store did not have.</summary>
    public static bool IsMissing(string line) => line.EndsWith("=" + Missing, StringComparison.Ordinal);

    private const string Missing = "missing";

    /// <param name="outputs">Where the image goes besides the local store (push target, archive path).</param>
    /// <param name="excludedDirectory">
    /// A directory whose files are not inputs: the project's obj/, where this stamp lives and where MSBuild
    /// rewrites files (PublishOutputs.*.txt) on every publish, changed or not.
    /// </param>
    public static async Task<string> ComputeKeyAsync(BuildRequest request, IEnumerable<string> outputs, string? excludedDirectory, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(string part)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(part));
            hash.AppendData("\0"u8);
        }

        var excluded = excludedDirectory is null ? null : Path.TrimEndingDirectorySeparator(Path.GetFullPath(excludedDirectory)) + "/";
        Add(Format);
        Add(typeof(ImageStamp).Assembly.ManifestModule.ModuleVersionId.ToString());
        var dockerfile = request.ResolveDockerfilePath();
        Add(dockerfile);
        Add(Convert.ToHexString(SHA256.HashData(await File.ReadAllBytesAsync(dockerfile, cancellationToken).ConfigureAwait(false))));
        Add("target=" + request.Target);
        Add("nocache=" + request.NoCache);
        foreach (var (name, values) in new[] { ("arg", request.BuildArgs), ("label", request.Labels) })
        {
            foreach (var (key, value) in values.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                Add($"{name}:{key}={value}");
            }
        }

        // A secret's source counts, never its value (BuildKit keeps secrets out of cache keys as well).
        foreach (var secret in request.Secrets.OrderBy(s => s.Id, StringComparer.Ordinal))
        {
            Add($"secret:{secret.Id}={secret.EnvironmentVariable}|{secret.FilePath}");
        }

        foreach (var part in request.Tags.Concat(request.Outputs).Concat(outputs))
        {
            Add("out:" + part);
        }

        Add("context");
        await AddTreeAsync(request.ContextDirectory, dockerfile).ConfigureAwait(false);
        foreach (var (name, value) in request.NamedContexts.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            Add($"named:{name}={value}");
            if (!value.StartsWith(ImageScheme, StringComparison.Ordinal))
            {
                await AddTreeAsync(value, null).ConfigureAwait(false);
            }
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());

        async Task AddTreeAsync(string directory, string? dockerfilePath)
        {
            var context = await BuildContext.FromDirectoryAsync(directory, dockerfilePath, cancellationToken).ConfigureAwait(false);
            foreach (var entry in FileTreeWalker.Walk(context.FileSystem, "", cancellationToken))
            {
                if (excluded is not null && entry.HostPath is { } host && (host + "/").StartsWith(excluded, StringComparison.Ordinal))
                {
                    continue;
                }

                var time = entry.Type == LayerEntryType.Directory ? 0 : entry.ModificationTimeNanoseconds;
                Add($"{entry.Path}|{entry.Type}|{entry.Mode}|{entry.Size}|{time}|{entry.LinkTarget}");
            }
        }
    }

    /// <returns>The stamp, or null when there is none or it cannot be read (then the image is simply rebuilt).</returns>
    public static ImageStamp? TryRead(string path) => StampJson.TryRead(path, Format, json => new ImageStamp(
        json.GetProperty("key").GetString()!,
        json.GetProperty("manifestDigest").GetString()!,
        json.GetProperty("configDigest").GetString()!,
        [.. json.GetProperty("names").EnumerateArray().Select(n => n.GetString()!)]));

    /// <summary>Written whole or not at all: a temporary file renamed over the old stamp.</summary>
    public void Write(string path) => StampJson.Write(path, Format, json =>
    {
        json.WriteString("key", Key);
        json.WriteString("manifestDigest", ManifestDigest);
        json.WriteString("configDigest", ConfigDigest);
        StampJson.WriteStrings(json, "names", Names);
    });
}
