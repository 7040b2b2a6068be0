namespace Dockerbuild.Dockerfile.Checks;

/// <summary>What a build learned resolving one image a Dockerfile names, for InvalidBaseImagePlatform.</summary>
/// <param name="Image">The image as the Dockerfile names it, global ARGs expanded (BuildKit's message names it so).</param>
/// <param name="Expected">The platform it is used for (the stage's <c>--platform</c>, else the target), normalized <c>os/arch[/variant]</c>.</param>
/// <param name="Actual">The platform the image's config declares, normalized the same way.</param>
/// <param name="Span">Where it is named: its FROM, or the COPY --from / RUN --mount from= that reads it.</param>
public sealed record BaseImagePlatform(string Image, string Expected, string Actual, SourceSpan Span);
