using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Dockerbuild.Engine.Context;
using Dockerbuild.Engine.Planning;
using Dockerbuild.Oci.Layers;

namespace Dockerbuild.Tasks.Incremental;

/// <summary>
/// What the last image build of a project was made from and what it produced, kept under obj/. The key
/// is a SHA-256 over every input: the package version, the Dockerfile's bytes, the build context and each
/// named context (every path the .dockerignore lets through, with type, mode, size, modification time and
/// link target), and every setting of the request. Equal keys mean an identical build, so the build is
/// skipped and the recorded result reused. Directory times are left out: adding or removing a file
/// already changes the list, and writing this stamp changes its directory's time.
/// </summary>
internal sealed record ImageStamp(string Key, string ManifestDigest, string ConfigDigest, IReadOnlyList<string> Names)
{
    private const string Format = "dockerbuild-stamp-1";
    private const string ImageScheme = "docker-image://";

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
    public static ImageStamp? TryRead(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            var json = JsonDocument.Parse(stream).RootElement;
            if (json.GetProperty("format").GetString() != Format)
            {
                return null;
            }

            return new ImageStamp(
                json.GetProperty("key").GetString()!,
                json.GetProperty("manifestDigest").GetString()!,
                json.GetProperty("configDigest").GetString()!,
                [.. json.GetProperty("names").EnumerateArray().Select(n => n.GetString()!)]);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>Written whole or not at all: a temporary file renamed over the old stamp.</summary>
    public async Task WriteAsync(string path, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        try
        {
            await using (var stream = File.Create(temporary))
            await using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
            {
                json.WriteStartObject();
                json.WriteString("format", Format);
                json.WriteString("key", Key);
                json.WriteString("manifestDigest", ManifestDigest);
                json.WriteString("configDigest", ConfigDigest);
                json.WriteStartArray("names");
                foreach (var name in Names)
                {
                    json.WriteStringValue(name);
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
