using System.Globalization;
using System.Text.Json;
using Dockerbuild.Engine.Execution;

namespace Dockerbuild.Cli.Commands;

/// <summary>
/// <c>--metadata-file</c> and <c>--iidfile</c> as buildx writes them from BuildKit's image exporter
/// response: the image ID is the config digest (BuildKit reports one for a single-platform manifest,
/// whether loaded or pushed) or, for a multi-platform build, the index digest; the metadata holds the
/// manifest's (or index's) digest and descriptor, the config digest of a single-platform image, the
/// names and a build reference, keys sorted, indented by two spaces.
/// </summary>
internal static class BuildMetadata
{
    /// <summary>What buildx writes to --iidfile.</summary>
    public static string ImageId(BuildResult result) => result.ImageId.ToString();

    public static async Task WriteAsync(string path, BuildResult result, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var created = (result.SourceDateEpoch ?? now).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var temporary = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        try
        {
            await using (var file = File.Create(temporary))
            await using (var json = new Utf8JsonWriter(file, new JsonWriterOptions { Indented = true, IndentSize = 2 }))
            {
                json.WriteStartObject();
                json.WriteString("buildx.build.ref", "dockerbuild/local/" + BuildReference());
                if (!result.IsIndex)
                {
                    json.WriteString("containerimage.config.digest", result.ConfigDigest.ToString());
                }

                // The exporter's descriptor, in the order Go's ocispec.Descriptor marshals its fields.
                json.WriteStartObject("containerimage.descriptor");
                json.WriteString("mediaType", result.Manifest.MediaType);
                json.WriteString("digest", result.ManifestDigest.ToString());
                json.WriteNumber("size", result.Manifest.Size);
                json.WriteStartObject("annotations");
                json.WriteString("org.opencontainers.image.created", created);
                json.WriteEndObject();
                json.WriteEndObject();

                json.WriteString("containerimage.digest", result.ManifestDigest.ToString());
                if (result.Tags.Count > 0)
                {
                    json.WriteString("image.name", string.Join(",", result.Tags.Select(tag => tag.ToString())));
                }

                json.WriteEndObject();
            }

            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>A build ID shaped like BuildKit's: 25 lowercase base-36 characters.</summary>
    private static string BuildReference()
    {
        const string alphabet = "0123456789abcdefghijklmnopqrstuvwxyz";
        return string.Create(25, 0, (span, _) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = alphabet[System.Security.Cryptography.RandomNumberGenerator.GetInt32(alphabet.Length)];
            }
        });
    }
}
