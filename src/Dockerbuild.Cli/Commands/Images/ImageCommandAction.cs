using System.CommandLine;
using Dockerbuild.Dockerfile;
using Dockerbuild.Oci;
using Dockerbuild.Oci.Json;
using Dockerbuild.Oci.Layers;
using Dockerbuild.Oci.Registry;
using Dockerbuild.Oci.Storage;

namespace Dockerbuild.Cli.Commands.Images;

/// <summary>
/// Runs an image command's body and turns every error a user can act on (a bad reference, a missing
/// image, a registry refusal, a corrupt archive) into one <c>Error: ...</c> line and exit code 1.
/// </summary>
internal static class ImageCommandAction
{
    public static void Set(Command command, CliHost host, Func<ImageCommandContext, CancellationToken, Task<int>> body) =>
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var context = new ImageCommandContext(parseResult, host);
            try
            {
                return await body(context, cancellationToken);
            }
            catch (Exception e) when (IsUserError(e) && !cancellationToken.IsCancellationRequested)
            {
                await context.Error.WriteLineAsync(ErrorLine(e));
                return CommandLineApp.Failure;
            }
        });

    /// <summary>The one line docker would print for <paramref name="e"/>.</summary>
    public static string ErrorLine(Exception e) => "Error: " + OneLine(e.Message);

    public static string OneLine(string message) =>
        string.Join(' ', message.Split((char[])['\n', '\r'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    public static bool IsUserError(Exception e) => e is RegistryException or ImageNotFoundException or ImageConflictException
        or FormatException or OciFormatException or DigestMismatchException or BlobNotFoundException or UnsafeLayerException
        or LayerContentChangedException or DockerfileException or UsageException or IOException or UnauthorizedAccessException
        or InvalidDataException;
}
