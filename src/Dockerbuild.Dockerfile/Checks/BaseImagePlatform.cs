namespace Dockerbuild.Dockerfile.Checks;

/// <summary>What a build learned resolving one stage's external base image, for InvalidBaseImagePlatform.</summary>
/// <param name="Image">The base as FROM names it, global ARGs expanded (BuildKit's message names it so).</param>
/// <param name="Expected">The platform the stage builds for (its <c>--platform</c>, else the target), normalized <c>os/arch[/variant]</c>.</param>
/// <param name="Actual">The platform the image's config declares, normalized the same way.</param>
public sealed record BaseImagePlatform(string Image, string Expected, string Actual);
