//! The tags the core names, as the `u32` the parser uses (group in the high 16 bits), taken
//! from dicom-dictionary-std's constants (PS3.6) so each is spelled once, by its standard
//! keyword, and never as a hex literal. Add a tag here when code needs it by name.

use dicom_core::dictionary::{DataDictionary, DataDictionaryEntry};
use dicom_core::Tag;
use dicom_dictionary_std::tags as std_tags;
use dicom_dictionary_std::StandardDataDictionary;

/// The standard keyword of a tag ("PatientName"); "PrivateCreator" for a private creator,
/// empty for other private or unknown tags.
pub fn keyword(tag: u32) -> String {
    if (tag >> 16) % 2 == 1 {
        let element = tag & 0xFFFF;
        return if (0x0010..=0x00FF).contains(&element) {
            "PrivateCreator".into()
        } else {
            String::new()
        };
    }
    StandardDataDictionary
        .by_tag(dicom_core::Tag((tag >> 16) as u16, tag as u16))
        .map(|e| e.alias().to_string())
        .unwrap_or_default()
}

const fn u32_of(tag: Tag) -> u32 {
    ((tag.0 as u32) << 16) | tag.1 as u32
}

pub const ACCESSION_NUMBER: u32 = u32_of(std_tags::ACCESSION_NUMBER);
pub const BITS_ALLOCATED: u32 = u32_of(std_tags::BITS_ALLOCATED);
pub const BITS_STORED: u32 = u32_of(std_tags::BITS_STORED);
pub const BLUE_PALETTE_COLOR_LOOKUP_TABLE_DATA: u32 =
    u32_of(std_tags::BLUE_PALETTE_COLOR_LOOKUP_TABLE_DATA);
pub const BLUE_PALETTE_COLOR_LOOKUP_TABLE_DESCRIPTOR: u32 =
    u32_of(std_tags::BLUE_PALETTE_COLOR_LOOKUP_TABLE_DESCRIPTOR);
pub const BURNED_IN_ANNOTATION: u32 = u32_of(std_tags::BURNED_IN_ANNOTATION);
pub const CODE_MEANING: u32 = u32_of(std_tags::CODE_MEANING);
pub const CODE_VALUE: u32 = u32_of(std_tags::CODE_VALUE);
pub const CODING_SCHEME_DESIGNATOR: u32 = u32_of(std_tags::CODING_SCHEME_DESIGNATOR);
pub const COLUMNS: u32 = u32_of(std_tags::COLUMNS);
pub const CONCEPT_CODE_SEQUENCE: u32 = u32_of(std_tags::CONCEPT_CODE_SEQUENCE);
pub const CONCEPT_NAME_CODE_SEQUENCE: u32 = u32_of(std_tags::CONCEPT_NAME_CODE_SEQUENCE);
pub const CONTENT_SEQUENCE: u32 = u32_of(std_tags::CONTENT_SEQUENCE);
pub const DATE: u32 = u32_of(std_tags::DATE);
pub const DATE_OF_SECONDARY_CAPTURE: u32 = u32_of(std_tags::DATE_OF_SECONDARY_CAPTURE);
pub const DATE_TIME: u32 = u32_of(std_tags::DATE_TIME);
pub const DEIDENTIFICATION_METHOD: u32 = u32_of(std_tags::DEIDENTIFICATION_METHOD);
pub const DEIDENTIFICATION_METHOD_CODE_SEQUENCE: u32 =
    u32_of(std_tags::DEIDENTIFICATION_METHOD_CODE_SEQUENCE);
pub const DIRECTORY_RECORD_SEQUENCE: u32 = u32_of(std_tags::DIRECTORY_RECORD_SEQUENCE);
pub const DOUBLE_FLOAT_PIXEL_DATA: u32 = u32_of(std_tags::DOUBLE_FLOAT_PIXEL_DATA);
pub const ENCAPSULATED_DOCUMENT: u32 = u32_of(std_tags::ENCAPSULATED_DOCUMENT);
pub const EXTENDED_OFFSET_TABLE: u32 = u32_of(std_tags::EXTENDED_OFFSET_TABLE);
pub const EXTENDED_OFFSET_TABLE_LENGTHS: u32 = u32_of(std_tags::EXTENDED_OFFSET_TABLE_LENGTHS);
pub const FILE_META_INFORMATION_GROUP_LENGTH: u32 =
    u32_of(std_tags::FILE_META_INFORMATION_GROUP_LENGTH);
pub const FILE_SET_ID: u32 = u32_of(std_tags::FILE_SET_ID);
pub const FLOAT_PIXEL_DATA: u32 = u32_of(std_tags::FLOAT_PIXEL_DATA);
pub const GRAPHIC_ANNOTATION_SEQUENCE: u32 = u32_of(std_tags::GRAPHIC_ANNOTATION_SEQUENCE);
pub const GRAPHIC_DATA: u32 = u32_of(std_tags::GRAPHIC_DATA);
pub const GRAPHIC_TYPE: u32 = u32_of(std_tags::GRAPHIC_TYPE);
pub const GREEN_PALETTE_COLOR_LOOKUP_TABLE_DATA: u32 =
    u32_of(std_tags::GREEN_PALETTE_COLOR_LOOKUP_TABLE_DATA);
pub const GREEN_PALETTE_COLOR_LOOKUP_TABLE_DESCRIPTOR: u32 =
    u32_of(std_tags::GREEN_PALETTE_COLOR_LOOKUP_TABLE_DESCRIPTOR);
pub const HIGH_BIT: u32 = u32_of(std_tags::HIGH_BIT);
pub const ICON_IMAGE_SEQUENCE: u32 = u32_of(std_tags::ICON_IMAGE_SEQUENCE);
pub const IMAGE_TYPE: u32 = u32_of(std_tags::IMAGE_TYPE);
pub const INSTANCE_NUMBER: u32 = u32_of(std_tags::INSTANCE_NUMBER);
pub const INSTITUTION_NAME: u32 = u32_of(std_tags::INSTITUTION_NAME);
pub const ISSUER_OF_PATIENT_ID: u32 = u32_of(std_tags::ISSUER_OF_PATIENT_ID);
pub const LONGITUDINAL_TEMPORAL_INFORMATION_MODIFIED: u32 =
    u32_of(std_tags::LONGITUDINAL_TEMPORAL_INFORMATION_MODIFIED);
pub const LOSSY_IMAGE_COMPRESSION: u32 = u32_of(std_tags::LOSSY_IMAGE_COMPRESSION);
pub const MANUFACTURER: u32 = u32_of(std_tags::MANUFACTURER);
pub const MANUFACTURER_MODEL_NAME: u32 = u32_of(std_tags::MANUFACTURER_MODEL_NAME);
pub const MEASURED_VALUE_SEQUENCE: u32 = u32_of(std_tags::MEASURED_VALUE_SEQUENCE);
pub const MEASUREMENT_UNITS_CODE_SEQUENCE: u32 = u32_of(std_tags::MEASUREMENT_UNITS_CODE_SEQUENCE);
pub const MEDIA_STORAGE_SOP_CLASS_UID: u32 = u32_of(std_tags::MEDIA_STORAGE_SOP_CLASS_UID);
pub const MEDIA_STORAGE_SOP_INSTANCE_UID: u32 = u32_of(std_tags::MEDIA_STORAGE_SOP_INSTANCE_UID);
pub const MODALITY: u32 = u32_of(std_tags::MODALITY);
pub const NUMBER_OF_FRAMES: u32 = u32_of(std_tags::NUMBER_OF_FRAMES);
pub const NUMERIC_VALUE: u32 = u32_of(std_tags::NUMERIC_VALUE);
pub const PATIENT_ADDRESS: u32 = u32_of(std_tags::PATIENT_ADDRESS);
pub const PATIENT_AGE: u32 = u32_of(std_tags::PATIENT_AGE);
pub const PATIENT_BIRTH_DATE: u32 = u32_of(std_tags::PATIENT_BIRTH_DATE);
pub const PATIENT_ID: u32 = u32_of(std_tags::PATIENT_ID);
pub const PATIENT_IDENTITY_REMOVED: u32 = u32_of(std_tags::PATIENT_IDENTITY_REMOVED);
pub const PATIENT_NAME: u32 = u32_of(std_tags::PATIENT_NAME);
pub const PATIENT_SEX: u32 = u32_of(std_tags::PATIENT_SEX);
pub const PERSON_NAME: u32 = u32_of(std_tags::PERSON_NAME);
pub const PHOTOMETRIC_INTERPRETATION: u32 = u32_of(std_tags::PHOTOMETRIC_INTERPRETATION);
pub const PIXEL_DATA: u32 = u32_of(std_tags::PIXEL_DATA);
pub const PIXEL_REPRESENTATION: u32 = u32_of(std_tags::PIXEL_REPRESENTATION);
pub const PLANAR_CONFIGURATION: u32 = u32_of(std_tags::PLANAR_CONFIGURATION);
pub const PRIVATE_INFORMATION: u32 = u32_of(std_tags::PRIVATE_INFORMATION);
pub const PRIVATE_INFORMATION_CREATOR_UID: u32 = u32_of(std_tags::PRIVATE_INFORMATION_CREATOR_UID);
pub const RECEIVING_APPLICATION_ENTITY_TITLE: u32 =
    u32_of(std_tags::RECEIVING_APPLICATION_ENTITY_TITLE);
pub const RECOGNIZABLE_VISUAL_FEATURES: u32 = u32_of(std_tags::RECOGNIZABLE_VISUAL_FEATURES);
pub const RED_PALETTE_COLOR_LOOKUP_TABLE_DATA: u32 =
    u32_of(std_tags::RED_PALETTE_COLOR_LOOKUP_TABLE_DATA);
pub const RED_PALETTE_COLOR_LOOKUP_TABLE_DESCRIPTOR: u32 =
    u32_of(std_tags::RED_PALETTE_COLOR_LOOKUP_TABLE_DESCRIPTOR);
pub const REFERENCED_CONTENT_ITEM_IDENTIFIER: u32 =
    u32_of(std_tags::REFERENCED_CONTENT_ITEM_IDENTIFIER);
pub const REFERENCED_SOP_CLASS_UID: u32 = u32_of(std_tags::REFERENCED_SOP_CLASS_UID);
pub const REFERENCED_SOP_INSTANCE_UID: u32 = u32_of(std_tags::REFERENCED_SOP_INSTANCE_UID);
pub const REFERENCED_SOP_SEQUENCE: u32 = u32_of(std_tags::REFERENCED_SOP_SEQUENCE);
pub const REGION_LOCATION_MAX_X1: u32 = u32_of(std_tags::REGION_LOCATION_MAX_X1);
pub const REGION_LOCATION_MAX_Y1: u32 = u32_of(std_tags::REGION_LOCATION_MAX_Y1);
pub const REGION_LOCATION_MIN_X0: u32 = u32_of(std_tags::REGION_LOCATION_MIN_X0);
pub const REGION_LOCATION_MIN_Y0: u32 = u32_of(std_tags::REGION_LOCATION_MIN_Y0);
pub const RELATIONSHIP_TYPE: u32 = u32_of(std_tags::RELATIONSHIP_TYPE);
pub const RESCALE_INTERCEPT: u32 = u32_of(std_tags::RESCALE_INTERCEPT);
pub const RESCALE_SLOPE: u32 = u32_of(std_tags::RESCALE_SLOPE);
pub const ROWS: u32 = u32_of(std_tags::ROWS);
pub const SAMPLES_PER_PIXEL: u32 = u32_of(std_tags::SAMPLES_PER_PIXEL);
pub const SECONDARY_CAPTURE_DEVICE_MANUFACTURER: u32 =
    u32_of(std_tags::SECONDARY_CAPTURE_DEVICE_MANUFACTURER);
pub const SECONDARY_CAPTURE_DEVICE_MANUFACTURER_MODEL_NAME: u32 =
    u32_of(std_tags::SECONDARY_CAPTURE_DEVICE_MANUFACTURER_MODEL_NAME);
pub const SECONDARY_CAPTURE_DEVICE_SOFTWARE_VERSIONS: u32 =
    u32_of(std_tags::SECONDARY_CAPTURE_DEVICE_SOFTWARE_VERSIONS);
pub const SEQUENCE_OF_ULTRASOUND_REGIONS: u32 = u32_of(std_tags::SEQUENCE_OF_ULTRASOUND_REGIONS);
pub const SERIES_DESCRIPTION: u32 = u32_of(std_tags::SERIES_DESCRIPTION);
pub const SERIES_INSTANCE_UID: u32 = u32_of(std_tags::SERIES_INSTANCE_UID);
pub const SERIES_NUMBER: u32 = u32_of(std_tags::SERIES_NUMBER);
pub const SOP_CLASS_UID: u32 = u32_of(std_tags::SOP_CLASS_UID);
pub const SOP_INSTANCE_UID: u32 = u32_of(std_tags::SOP_INSTANCE_UID);
pub const SOURCE_APPLICATION_ENTITY_TITLE: u32 = u32_of(std_tags::SOURCE_APPLICATION_ENTITY_TITLE);
pub const SPECIFIC_CHARACTER_SET: u32 = u32_of(std_tags::SPECIFIC_CHARACTER_SET);
pub const STATION_NAME: u32 = u32_of(std_tags::STATION_NAME);
pub const STUDY_DATE: u32 = u32_of(std_tags::STUDY_DATE);
pub const STUDY_DESCRIPTION: u32 = u32_of(std_tags::STUDY_DESCRIPTION);
pub const STUDY_INSTANCE_UID: u32 = u32_of(std_tags::STUDY_INSTANCE_UID);
pub const TEMPORAL_RANGE_TYPE: u32 = u32_of(std_tags::TEMPORAL_RANGE_TYPE);
pub const TEXT_VALUE: u32 = u32_of(std_tags::TEXT_VALUE);
pub const TIME: u32 = u32_of(std_tags::TIME);
pub const TIME_OF_SECONDARY_CAPTURE: u32 = u32_of(std_tags::TIME_OF_SECONDARY_CAPTURE);
pub const TRANSFER_SYNTAX_UID: u32 = u32_of(std_tags::TRANSFER_SYNTAX_UID);
pub const UID: u32 = u32_of(std_tags::UID);
pub const VALUE_TYPE: u32 = u32_of(std_tags::VALUE_TYPE);
pub const WINDOW_CENTER: u32 = u32_of(std_tags::WINDOW_CENTER);
pub const WINDOW_WIDTH: u32 = u32_of(std_tags::WINDOW_WIDTH);
