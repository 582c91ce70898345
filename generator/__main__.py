try:
    from .cli import main
except KeyboardInterrupt:  # Ctrl-C while the modules load: nothing was written yet
    import sys

    sys.stderr.write("sdkgen: interrupted; previous output left untouched\n")
    raise SystemExit(130) from None

raise SystemExit(main())
