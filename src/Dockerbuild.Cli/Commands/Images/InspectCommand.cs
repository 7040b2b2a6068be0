using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Dockerbuild.Cli.Formatting;
using Dockerbuild.Oci;
using Dockerbuild.Oci.Json;
using Dockerbuild.Oci.Storage;

namespace Dockerbuild.Cli.Commands.Images;

/// <summary>
/// <c>dockerbuild inspect [-f FORMAT] IMAGE...</c>: a JSON array shaped like <c>docker image inspect</c> (Id, RepoTags,
/// RepoDigests, Created, Config, Architecture, Os, Size, RootFS, Metadata, Descriptor). Images that are
/// missing are reported on stderr after the array, with exit code 1, as docker does.
/// </summary>
internal sealed class InspectCommand(CliHost host) : ICliCommand
{
    public Command Create()
    {
        var images = new Argument<string[]>("IMAGE") { Description = "Images to inspect", Arity = ArgumentArity.OneOrMore };
        var format = new Option<string>("--format", "-f") { Description = "Format output: json (the default), or a Go template run for each image, e.g. {{.Os}} or {{range .RepoTags}}{{.}} {{end}}" };
        var command = new Command("inspect", "Display detailed information on one or more images") { images, format };
        ImageCommandAction.Set(command, host, async (context, cancellationToken) =>
        {
            var template = context.ParseResult.GetValue(format) is { Length: > 0 } text && text != "json" ? OutputFormat.Parse(text) : null;
            var errors = new List<string>();
            using var buffer = new MemoryStream();
            await using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, IndentSize = 4 }))
            {
                writer.WriteStartArray();
                foreach (var name in context.ParseResult.GetRequiredValue(images))
                {
                    LocalImage image;
                    try
                    {
                        image = await LocalImages.OpenAsync(context.Store, name, cancellationToken);
                    }
                    catch (Exception e) when (ImageCommandAction.IsUserError(e))
                    {
                        errors.Add(ImageCommandAction.ErrorLine(e));
                        continue;
                    }

                    // docker's Size: the image's layers as stored unpacked, the sum of their uncompressed sizes.
                    long size = 0;
                    foreach (var layer in image.Layers)
                    {
                        size += await LayerSizes.GetAsync(context.Store.Blobs, layer, cancellationToken);
                    }

                    Write(writer, image, size);
                }

                writer.WriteEndArray();
            }

            if (template is null)
            {
                await context.Output.WriteLineAsync(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
            }
            else
            {
                // As docker's inspect template: run over each image's document, one line each.
                using var document = JsonDocument.Parse(buffer.ToArray());
                foreach (var element in document.RootElement.EnumerateArray())
                {
                    await context.Output.WriteLineAsync(OutputFormat.Run(template, GoValues.FromJson(element)));
                }
            }

            foreach (var error in errors)
            {
                await context.Error.WriteLineAsync(error);
            }

            return errors.Count == 0 ? CommandLineApp.Success : CommandLineApp.Failure;
        });
        return command;
    }

    /// <summary>Go's RFC3339Nano in UTC, as docker prints times.</summary>
    public static string GoTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    private static void Write(Utf8JsonWriter writer, LocalImage image, long size)
    {
        var record = image.Record;
        var config = image.Config.Value;
        writer.WriteStartObject();
        writer.WriteString("Id", record.Id.ToString());
        WriteNames(writer, "RepoTags", record.Tags);
        WriteNames(writer, "RepoDigests", record.RepoDigests);
        writer.WriteString("Parent", "");
        writer.WriteString("Comment", config.Extra is { } extra && extra.TryGetValue("comment", out var comment) && comment.ValueKind == JsonValueKind.String ? comment.GetString() : "");
        writer.WriteString("Created", config.Created is { } created ? GoTime(created) : "");
        writer.WriteString("DockerVersion", "");
        writer.WriteString("Author", config.Author ?? "");
        writer.WritePropertyName("Config");
        using (var document = JsonDocument.Parse(OciJson.Serialize(config.Config)))
        {
            document.RootElement.WriteTo(writer);
        }

        writer.WriteString("Architecture", config.Architecture);
        if (config.Variant is { Length: > 0 } variant)
        {
            writer.WriteString("Variant", variant);
        }

        writer.WriteString("Os", config.Os);
        if (config.OsVersion is { Length: > 0 } osVersion)
        {
            writer.WriteString("OsVersion", osVersion);
        }

        writer.WriteNumber("Size", size);
        writer.WriteStartObject("RootFS");
        writer.WriteString("Type", config.RootFs.Type);
        writer.WriteStartArray("Layers");
        foreach (var diffId in config.RootFs.DiffIds)
        {
            writer.WriteStringValue(diffId.ToString());
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.WriteStartObject("Metadata");
        writer.WriteString("LastTagTime", "0001-01-01T00:00:00Z");
        writer.WriteEndObject();
        writer.WriteStartObject("Descriptor");
        writer.WriteString("mediaType", record.MediaType);
        writer.WriteString("digest", record.ManifestDigest.ToString());
        writer.WriteNumber("size", image.Manifest.Digest == record.ManifestDigest ? image.Manifest.Size : 0);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WriteNames(Utf8JsonWriter writer, string property, IEnumerable<ImageReference> names)
    {
        writer.WriteStartArray(property);
        foreach (var name in names.OrderBy(n => n.FamiliarString, StringComparer.Ordinal))
        {
            writer.WriteStringValue(name.FamiliarString);
        }

        writer.WriteEndArray();
    }
}
